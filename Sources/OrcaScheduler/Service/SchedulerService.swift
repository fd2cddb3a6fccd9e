import Logging
import OrcaAPI
import OrcaClient
import ServiceLifecycle

/// The scheduler of `orca master`: places every unbound pod on a minion.
///
/// It watches minions, pods, services and replication controllers through informers, keeps a
/// ``ClusterSnapshot`` of them, and takes unbound pods (no `spec.nodeName`, not being deleted,
/// phase `Pending`) from a ``OrcaClient/WorkQueue`` one at a time. Each decision is made against
/// the snapshot and, when it names a minion, is *assumed* at once (the pod counts there for the
/// next decisions) while the binding (`POST .../pods/{name}/binding` with the pod's
/// resourceVersion) runs concurrently, up to ``Configuration/bindingConcurrency`` at a time. A
/// failed binding is undone: a conflict plans again with fresh data, other errors back off.
///
/// A pod no minion can take stays `Pending` with a `PodScheduled=False` condition (reason
/// `Unschedulable`) and a `FailedScheduling` Warning event saying why; it is tried again when
/// a minion is added or changes what it offers, when a counted pod is deleted or terminates,
/// and otherwise after a backoff.
///
/// `run()` returns on graceful shutdown or cancellation. Run it once.
public struct SchedulerService: ServiceLifecycle.Service {
    public struct Configuration: Sendable {
        /// Bindings (and unschedulable reports) in flight at once while decisions go on.
        public var bindingConcurrency = 16
        /// The wait before an unschedulable pod is tried again; doubles with each verdict in a row.
        public var unschedulableBackoff: Duration = .seconds(1)
        /// The longest wait before an unschedulable pod is tried again.
        public var maxUnschedulableBackoff: Duration = .seconds(60)
        /// How often the informers hand every object to the scheduler again (nil: never).
        public var resyncPeriod: Duration?
        /// `source.component` of the events the scheduler writes.
        public var component = "scheduler"

        public init() {}
    }

    public let client: OrcaClient
    public let configuration: Configuration
    let informers: InformerFactory?
    let clock: any Clock<Duration>
    let logger: Logger

    /// A scheduler with informers of its own.
    public init(client: OrcaClient, configuration: Configuration = Configuration(),
                clock: any Clock<Duration> = ContinuousClock(), logger: Logger = Logger(label: "orca.scheduler")) {
        self.init(client: client, informers: nil, configuration: configuration, clock: clock, logger: logger)
    }

    /// A scheduler that takes its node, pod, service and controller informers from `informers`,
    /// shared with the other loops of the process (the caller runs `informers`).
    public init(informers: InformerFactory, configuration: Configuration = Configuration(),
                clock: any Clock<Duration> = ContinuousClock(), logger: Logger = Logger(label: "orca.scheduler")) {
        self.init(client: informers.client, informers: informers, configuration: configuration, clock: clock,
                  logger: logger)
    }

    private init(client: OrcaClient, informers: InformerFactory?, configuration: Configuration,
                 clock: any Clock<Duration>, logger: Logger) {
        self.client = client
        self.informers = informers
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        let (client, configuration, clock, logger) = (client, configuration, clock, logger)
        await cancelWhenGracefulShutdown {
            await InformerFactory.using(informers, client: client, clock: clock, logger: logger) { informers in
                let loop = SchedulingLoop(informers: informers, configuration: configuration, clock: clock,
                                          logger: logger)
                await loop.run()
            }
        }
    }
}
