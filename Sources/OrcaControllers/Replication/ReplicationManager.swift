import Logging
import OrcaAPI
import OrcaClient
import ServiceLifecycle

/// The replication manager: keeps every replication controller's pods at `spec.replicas` and
/// writes its `status` (a `Service` for the master's `ServiceGroup`).
///
/// It watches replication controllers and pods (informers), queues the key of each controller a
/// change concerns, and reconciles each key on one of ``Configuration/workers`` workers with
/// ``ReplicationReconciler``, never one key on two workers at once. A pod event queues the
/// controller that controls the pod, or, for a pod without one, the controllers whose selector
/// matches it. Creates and deletes are guarded by ``ReplicationExpectations``, so a lagging
/// watch never makes it create twice. Deleting a controller deletes the pods it controls (checked
/// against the master before any pod goes), whether or not it was scaled to 0 first.
///
/// ```swift
/// let manager = ReplicationManager(client: client, configuration: .init(), logger: logger)
/// let group = ServiceGroup(services: [manager], logger: logger)  // or beside the API server
/// ```
/// ``run()`` returns on graceful shutdown or cancellation. Each call of ``run()`` starts from
/// nothing (fresh caches and queue).
public struct ReplicationManager: ServiceLifecycle.Service {
    public struct Configuration: Sendable {
        /// Controllers reconciled at once.
        public var workers: Int = 4
        /// The most pods created, or deleted, for one controller per reconcile.
        public var burstReplicas: Int = 500
        /// The most pod writes (creates, deletes, adoptions) in flight for one controller.
        public var maxConcurrentWrites: Int = 16
        /// How long a controller waits to see its creates and deletes before deciding again anyway.
        public var expectationsTTL: Duration = .seconds(30)
        /// Every period every controller is reconciled again even if nothing changed (nil: never).
        public var resyncPeriod: Duration? = .seconds(30)
        /// How long the keys of pod events gather before they are queued (each once): a burst of
        /// events about one controller's hundreds of pods costs one reconcile per window, not one
        /// per event (nil: queue at once).
        public var coalescing: Duration? = .milliseconds(20)
        /// Only this namespace's controllers and pods (nil: every namespace).
        public var namespace: String?
        /// The first retry delay of a failed reconcile; it doubles per failure up to `maxRetryDelay`.
        public var retryDelay: Duration = .milliseconds(5)
        public var maxRetryDelay: Duration = .seconds(30)

        public init() {}
    }

    public let configuration: Configuration
    private let client: OrcaClient
    private let informers: InformerFactory?
    private let clock: any Clock<Duration>
    private let logger: Logger

    /// - Parameters:
    ///   - client: the master's API; the manager needs list/watch of pods and controllers, pod
    ///     create/update/delete, and controller status writes.
    ///   - clock: paces expectations, retries and resyncs (tests may pass a manual clock; startup
    ///     waits for the first lists in real time).
    public init(client: OrcaClient, configuration: Configuration = Configuration(),
                clock: any Clock<Duration> = ContinuousClock(), logger: Logger) {
        self.init(client: client, informers: nil, configuration: configuration, clock: clock, logger: logger)
    }

    /// A manager that takes its pod and controller informers from `informers`, shared with the
    /// other loops of the process (the caller runs `informers`).
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
        logger[metadataKey: "controller"] = "replication"
        self.logger = logger
    }

    /// Runs until graceful shutdown or cancellation.
    public func run() async throws {
        let (client, configuration, clock, logger) = (client, configuration, clock, logger)
        await cancelWhenGracefulShutdown {
            await InformerFactory.using(informers, client: client, clock: clock, logger: logger) { informers in
                let loop = ReplicationLoop(informers: informers, configuration: configuration, clock: clock,
                                           logger: logger)
                await loop.run()
            }
        }
    }
}
