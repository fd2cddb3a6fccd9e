import Logging
import OrcaAPI
import OrcaClient
import ServiceLifecycle

/// Many hollow minions in one process sharing one client, as `orca hollow --count N` runs them
/// (Kubernetes' kubemark packs hollow nodes the same way).
///
/// Minion `i` is named `namePrefix + i` (`hollow-0`, `hollow-1`, ...) with host IP the `i`-th
/// address from ``Configuration/firstHostIP``. ``run()`` registers them all (a bounded number at
/// once), then runs one pod watch (`spec.nodeName!=`) that hands each bound pod to its minion,
/// and each minion's heartbeat, the first beats spread evenly over the interval so a thousand
/// minions do not all write at once. Cancelling ``run()`` makes every minion go silent.
public final class HollowMinions: ServiceLifecycle.Service, Sendable {
    public struct Configuration: Sendable {
        public var count: Int
        public var namePrefix = "hollow-"
        /// The host IP of minion 0; the next minions take the following addresses (skipping
        /// those ending in .0 and .255).
        public var firstHostIP = "10.245.128.1"
        public var heartbeatInterval: Duration = .seconds(5)
        public var cpu: Quantity = Quantity(integer: 4)
        public var memory: Quantity = Quantity("8Gi")!
        public var maxPods: Int = 110
        /// Labels of every minion, besides `kubernetes.io/hostname`.
        public var labels: [String: String] = [:]
        /// Registrations in flight at once.
        public var registrationConcurrency = 32
        /// Pod status writes in flight at once, for all minions together.
        public var reportWorkers = 16

        public init(count: Int) {
            self.count = count
        }

        /// The configuration of minion `index`.
        public func minion(_ index: Int) -> HollowMinion.Configuration {
            var minion = HollowMinion.Configuration(
                name: "\(namePrefix)\(index)",
                hostIP: HollowAddress.host(index, after: firstHostIP) ?? firstHostIP)
            minion.cpu = cpu
            minion.memory = memory
            minion.maxPods = maxPods
            minion.labels = labels
            minion.heartbeatInterval = heartbeatInterval
            return minion
        }
    }

    public let configuration: Configuration
    /// The minions, in index order.
    public let minions: [HollowMinion]
    private let byName: [String: HollowMinion]
    private let client: OrcaClient
    private let clock: any Clock<Duration>
    private let logger: Logger

    public init(client: OrcaClient, configuration: Configuration, clock: any Clock<Duration> = ContinuousClock(),
                logger: Logger = Logger(label: "orca.hollow")) {
        self.configuration = configuration
        self.client = client
        self.clock = clock
        self.logger = logger
        let minions = (0..<max(0, configuration.count)).map { index in
            HollowMinion(client: client, configuration: configuration.minion(index), clock: clock, logger: logger)
        }
        self.minions = minions
        byName = Dictionary(minions.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The minion called `name`, if it is one of these.
    public func minion(named name: String) -> HollowMinion? { byName[name] }

    public subscript(index: Int) -> HollowMinion { minions[index] }

    /// How many minions have registered.
    public var registeredCount: Int { minions.count { $0.isRegistered } }

    /// Registers every minion, then heartbeats and reports pods until cancelled or shut down
    /// gracefully.
    public func run() async throws {
        let byName = self.byName
        let feed = HollowPodFeed(
            client: client, fieldSelector: "spec.nodeName!=", workers: configuration.reportWorkers, clock: clock,
            logger: logger, minion: { byName[$0] })
        for minion in minions { minion.attach(feed) }
        await cancelWhenGracefulShutdown {
            guard await self.registerAll() else { return }
            self.logger.info("hollow minions registered", metadata: ["count": "\(self.minions.count)"])
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await feed.run() }
                let interval = self.configuration.heartbeatInterval
                let count = max(1, self.minions.count)
                for (index, minion) in self.minions.enumerated() {
                    // Beats spread over the interval: minion i first beats at interval * (i+1) / count.
                    let offset = interval * (index + 1) / count
                    group.addTask { await minion.heartbeatLoop(initialDelay: offset) }
                }
                await group.waitForAll()
            }
        }
    }

    /// Registers every minion, `registrationConcurrency` at a time; false when cancelled first.
    private func registerAll() async -> Bool {
        let width = max(1, configuration.registrationConcurrency)
        return await withTaskGroup(of: Bool.self) { group in
            var pending = minions[...]
            var ok = true
            for _ in 0..<width {
                guard let minion = pending.popFirst() else { break }
                group.addTask { await minion.registerUntilDone() }
            }
            for await done in group {
                ok = ok && done
                guard ok else {
                    group.cancelAll()
                    break
                }
                if let minion = pending.popFirst() {
                    group.addTask { await minion.registerUntilDone() }
                }
            }
            return ok && !Task.isCancelled
        }
    }
}
