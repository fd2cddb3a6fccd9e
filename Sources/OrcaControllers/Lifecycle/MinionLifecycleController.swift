import Logging
import OrcaAPI
import OrcaClient
import ServiceLifecycle
import Synchronization

/// The minion lifecycle controller: notices minions that stopped posting status, marks them
/// NotReady, fails their pods with reason `NodeLost` and later deletes them, so replication
/// controllers replace them on live minions (a `Service` for the master's `ServiceGroup`).
///
/// It watches minions and bound pods (informers). Each time a minion's heartbeat (its `Ready`
/// condition's `lastHeartbeatTime`) changes, it notes the time on its own clock; every
/// ``Configuration/checkInterval`` it queues the minions silent for longer than
/// ``Configuration/minionGrace``, and workers carry out what ``MinionLifecycleReconciler``
/// decides for each (never one minion on two workers at once). The NotReady write is a
/// compare-and-swap, retried once on a freshly read minion whose heartbeat is checked again, so
/// a heartbeat that races the write wins. A minion that heartbeats again is alive again at once.
///
/// ```swift
/// let lifecycle = MinionLifecycleController(client: client, logger: logger)
/// let group = ServiceGroup(services: [lifecycle], logger: logger)  // or beside the API server
/// ```
/// ``run()`` returns on graceful shutdown or cancellation. Each call starts from nothing, so a
/// restarted controller gives every minion a full grace period.
public struct MinionLifecycleController: ServiceLifecycle.Service {
    public struct Configuration: Sendable {
        /// How long a minion may go without a new heartbeat before it is NotReady and its pods
        /// are failed (`--minion-grace`; Kubernetes' `--node-monitor-grace-period` is 40-50 s).
        public var minionGrace: Duration = .seconds(15)
        /// How long the pods of a lost minion stay, failed, before they are deleted
        /// (`--pod-eviction-timeout`; Kubernetes' default was 5 minutes).
        public var podEvictionTimeout: Duration = .seconds(10)
        /// How often silences are checked (Kubernetes' `--node-monitor-period` is 5 s).
        public var checkInterval: Duration = .seconds(1)
        /// Minions handled at once.
        public var workers: Int = 8
        /// The most pod writes in flight for one minion.
        public var maxConcurrentWrites: Int = 16
        /// The first retry delay of a failed sync; it doubles per failure up to `maxRetryDelay`.
        public var retryDelay: Duration = .milliseconds(50)
        public var maxRetryDelay: Duration = .seconds(10)

        public init(minionGrace: Duration = .seconds(15), podEvictionTimeout: Duration = .seconds(10),
                    checkInterval: Duration = .seconds(1)) {
            self.minionGrace = minionGrace
            self.podEvictionTimeout = podEvictionTimeout
            self.checkInterval = checkInterval
        }
    }

    public let configuration: Configuration
    private let client: OrcaClient
    private let informers: InformerFactory?
    private let clock: any Clock<Duration>
    private let logger: Logger
    private let current = CurrentLoop()

    /// - Parameters:
    ///   - client: the master's API; the controller needs list/watch of nodes and pods, node and
    ///     pod status writes, pod deletes and event creates.
    ///   - clock: measures silences and paces checks and retries (tests pass a manual clock;
    ///     startup waits for the first lists, not on the clock).
    public init(client: OrcaClient, configuration: Configuration = Configuration(),
                clock: any Clock<Duration> = ContinuousClock(), logger: Logger) {
        self.init(client: client, informers: nil, configuration: configuration, clock: clock, logger: logger)
    }

    /// A controller that takes its node and pod informers from `informers`, shared with the other
    /// loops of the process (the caller runs `informers`).
    public init(informers: InformerFactory, configuration: Configuration = Configuration(),
                clock: any Clock<Duration> = ContinuousClock(), logger: Logger) {
        self.init(client: informers.client, informers: informers, configuration: configuration, clock: clock,
                  logger: logger)
    }

    private init(client: OrcaClient, informers: InformerFactory?, configuration: Configuration,
                 clock: any Clock<Duration>, logger: Logger) {
        self.client = client
        self.informers = informers
        self.configuration = configuration
        self.clock = clock
        var logger = logger
        logger[metadataKey: "controller"] = "minion-lifecycle"
        self.logger = logger
    }

    /// Runs until graceful shutdown or cancellation.
    public func run() async throws {
        let (client, configuration, clock, logger, current) = (client, configuration, clock, logger, current)
        await cancelWhenGracefulShutdown {
            await InformerFactory.using(informers, client: client, clock: clock, logger: logger) { informers in
                let loop = MinionLifecycleLoop(informers: informers, configuration: configuration, clock: clock,
                                               logger: logger)
                current.set(loop)
                defer { current.set(nil) }
                await loop.run()
            }
        }
    }

    /// Whether the running controller has listed minions and pods (false when not running).
    public var hasSynced: Bool { current.get()?.hasSynced ?? false }

    /// How long the running controller has seen no new heartbeat from `minion`; nil when it is
    /// not running or has not seen the minion. For tests and diagnostics.
    public func silence(ofMinion minion: String) -> Duration? {
        current.get()?.silence(of: minion)
    }
}

/// The loop of the controller's current run, for the read-only accessors.
private final class CurrentLoop: Sendable {
    private let loop = Mutex<MinionLifecycleLoop?>(nil)

    func set(_ value: MinionLifecycleLoop?) { loop.withLock { $0 = value } }
    func get() -> MinionLifecycleLoop? { loop.withLock { $0 } }
}
