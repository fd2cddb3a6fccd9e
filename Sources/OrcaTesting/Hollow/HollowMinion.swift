import Logging
import OrcaAPI
import OrcaClient
import ServiceLifecycle
import Synchronization

/// A fake minion, like Kubernetes' kubemark hollow node: it registers, posts status, takes the
/// pods bound to it and reports them Running with a made-up pod IP, but starts nothing.
///
/// Registration creates the Node (or, when it exists, takes its pod CIDR and overwrites its
/// status). Every ``Configuration/heartbeatInterval`` it writes its status with `Ready` True and
/// `lastHeartbeatTime` now. A pod bound to it that has not ended is written back through the
/// status subresource as Running (a compare-and-swap, so a pod failed meanwhile stays failed),
/// with a pod IP from the minion's pod CIDR: the one the master assigned, else one made up from
/// the host IP. Deleted pods are forgotten and their IPs reused.
///
/// Cancelling ``run()`` makes the minion go silent as a dead host would: it does not
/// deregister. ``silence()`` and ``resume()`` do the same in process, for tests.
///
/// Run one on its own with ``run()`` (it then watches `spec.nodeName=NAME`); many share one
/// client and one pod watch in ``HollowMinions``, which runs them (do not also call ``run()``).
public final class HollowMinion: ServiceLifecycle.Service, Sendable {
    public struct Configuration: Sendable {
        /// The minion's name (the Node's `metadata.name` and `kubernetes.io/hostname` label).
        public var name: String
        /// The address reported as `InternalIP` and as each pod's `hostIP`.
        public var hostIP: String
        public var cpu: Quantity = Quantity(integer: 4)
        public var memory: Quantity = Quantity("8Gi")!
        /// How many pods the minion reports it can hold (`capacity.pods`).
        public var maxPods: Int = 110
        /// Labels besides `kubernetes.io/hostname`.
        public var labels: [String: String] = [:]
        public var heartbeatInterval: Duration = .seconds(5)
        /// The pod CIDR to ask for; nil lets the master assign one.
        public var podCIDR: String?
        /// Status writes of pods in flight at once (for a minion run on its own).
        public var reportWorkers: Int = 4

        public init(name: String, hostIP: String) {
            self.name = name
            self.hostIP = hostIP
        }
    }

    struct State {
        var registered = false
        var podCIDR: String?
        var addresses: HollowAddressPool?
        var silenced = false
        /// Keys of the pods bound to this minion that the pod feed has shown.
        var pods: Set<String> = []
        /// Keys of the pods reported Running, with their IPs.
        var running: [String: String] = [:]
        var heartbeats = 0
        /// The pod feed of the current run, to hand pods back to on ``resume()``.
        var feed: HollowPodFeed?
    }

    public let configuration: Configuration
    let client: OrcaClient
    let clock: any Clock<Duration>
    let logger: Logger
    let state = Mutex(State())

    public init(client: OrcaClient, configuration: Configuration, clock: any Clock<Duration> = ContinuousClock(),
                logger: Logger = Logger(label: "orca.hollow")) {
        self.client = client
        self.configuration = configuration
        self.clock = clock
        var logger = logger
        logger[metadataKey: "minion"] = "\(configuration.name)"
        self.logger = logger
    }

    public var name: String { configuration.name }

    // MARK: What tests look at

    /// Whether the Node has been registered (or found and updated).
    public var isRegistered: Bool { state.withLock { $0.registered } }
    /// The pod CIDR pod IPs come from: the master's, or a made-up one; nil before registration.
    public var podCIDR: String? { state.withLock { $0.podCIDR } }
    /// Whether the minion is silenced (no heartbeats, no pod reports).
    public var isSilenced: Bool { state.withLock { $0.silenced } }
    /// Heartbeats written since the minion was made.
    public var heartbeatCount: Int { state.withLock { $0.heartbeats } }
    /// The pods this minion reported Running (or found Running), `namespace/name` -> pod IP.
    public var runningPods: [String: String] { state.withLock { $0.running } }

    /// Stops heartbeats and pod reports, as if the host had died (the Node stays registered).
    public func silence() {
        state.withLock { $0.silenced = true }
        logger.info("hollow minion silenced")
    }

    /// Starts heartbeating again (at the next beat) and reports the pods that arrived meanwhile.
    public func resume() {
        let (feed, pods) = state.withLock { state -> (HollowPodFeed?, Set<String>) in
            state.silenced = false
            return (state.feed, state.pods)
        }
        logger.info("hollow minion resumed")
        for key in pods { feed?.enqueue(key) }
    }

    // MARK: Running on its own

    /// Registers, then heartbeats and reports the pods bound to this minion until cancelled or
    /// shut down gracefully.
    public func run() async throws {
        let feed = HollowPodFeed(
            client: client, fieldSelector: "spec.nodeName=\(name)", workers: configuration.reportWorkers,
            clock: clock, logger: logger, minion: { [self] node in node == name ? self : nil })
        await cancelWhenGracefulShutdown {
            guard await self.registerUntilDone() else { return }
            self.attach(feed)
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await feed.run() }
                group.addTask { await self.heartbeatLoop(initialDelay: self.configuration.heartbeatInterval) }
                await group.waitForAll()
            }
        }
    }

    func attach(_ feed: HollowPodFeed) {
        state.withLock { $0.feed = feed }
    }

    // MARK: Registration and heartbeats

    /// Registers, retrying with backoff (the master may not be up yet); false when cancelled.
    func registerUntilDone() async -> Bool {
        var delay = Duration.milliseconds(100)
        while !Task.isCancelled {
            do {
                try await register()
                return true
            } catch is CancellationError {
                return false
            } catch {
                logger.warning("registration failed; retrying", metadata: ["error": "\(error)", "in": "\(delay)"])
            }
            do {
                try await clock.sleep(for: delay)
            } catch {
                return false
            }
            delay = min(delay * 2, .seconds(5))
        }
        return false
    }

    /// Creates the Node, or takes over the existing one (its pod CIDR; its status overwritten).
    func register() async throws {
        var node = Self.registration(configuration, now: .now())
        var cidr: String?
        do {
            cidr = try await client.create(node).spec?.podCIDR
        } catch let error as APIError where error.reason == .alreadyExists {
            let existing = try await client.get(Node.self, name: name)
            cidr = existing.spec?.podCIDR
            _ = try await client.updateStatus(node)
        } catch let error as APIError where error.reason == .invalid && configuration.podCIDR == nil
            && error.details?.causes?.contains(where: { $0.field == "spec.podCIDR" }) == true {
            // The master's cluster range is full: bring a pod CIDR of our own, outside it.
            logger.notice("the master assigned no pod CIDR; using a made-up one", metadata: ["error": "\(error)"])
            node.spec?.podCIDR = HollowAddress.fallbackPodCIDR(hostIP: configuration.hostIP)
            cidr = try await client.create(node).spec?.podCIDR
        }
        let podCIDR = cidr.flatMap { HollowAddressPool(cidr: $0) != nil ? $0 : nil }
            ?? HollowAddress.fallbackPodCIDR(hostIP: configuration.hostIP)
        state.withLock { state in
            if state.podCIDR != podCIDR {
                state.podCIDR = podCIDR
                var pool = HollowAddressPool(cidr: podCIDR)
                for (key, ip) in state.running { pool?.adopt(ip, for: key) }
                state.addresses = pool
            }
            state.registered = true
        }
        logger.debug("hollow minion registered", metadata: ["podCIDR": "\(podCIDR)"])
    }

    /// Writes the minion's status with a fresh heartbeat (unless silenced); registers again when
    /// the Node has been deleted.
    func heartbeat() async throws {
        guard !isSilenced else { return }
        let node = Node(metadata: ObjectMeta(name: name), spec: nil,
                        status: Self.nodeStatus(configuration, now: .now()))
        do {
            _ = try await client.updateStatus(node)
        } catch let error as APIError where error.reason == .notFound {
            try await register()
        }
        state.withLock { $0.heartbeats += 1 }
    }

    /// Heartbeats every interval, the first after `initialDelay` (spreading many minions' beats
    /// over the interval), until cancelled. A failed beat is logged; the next one retries.
    func heartbeatLoop(initialDelay: Duration) async {
        let interval = configuration.heartbeatInterval
        var delay = initialDelay
        while !Task.isCancelled {
            do {
                try await clock.sleep(for: delay)
            } catch {
                return
            }
            delay = interval
            do {
                try await heartbeat()
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                logger.warning("heartbeat failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
