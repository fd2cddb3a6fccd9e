import Logging
import OrcaClient
import OrcaControllers
import OrcaScheduler
import ServiceLifecycle

/// The master's control loops: scheduler, replication manager, endpoints controller and minion
/// lifecycle controller, each a `Service` that talks to the API server over HTTP like any
/// other client. `orca master` runs them beside the API server; in-process cluster tests run
/// the same assembly.
public struct ControlPlane: Sendable {
    public struct Configuration: Sendable {
        /// A minion silent for longer than this is NotReady and its pods are marked Failed.
        public var minionGrace: Duration = .seconds(15)
        /// Pods of a NotReady minion are deleted (and so replaced elsewhere) after this.
        public var podEvictionTimeout: Duration = .seconds(10)
        public var scheduler = SchedulerService.Configuration()
        public var replication = ReplicationManager.Configuration()
        public var endpoints = EndpointsController.Configuration()

        public init() {}
    }

    public let client: OrcaClient
    public let configuration: Configuration
    private let clock: any Clock<Duration>
    private let logger: Logger

    public init(client: OrcaClient, configuration: Configuration = Configuration(),
                clock: any Clock<Duration> = ContinuousClock(), logger: Logger = Logger(label: "orca.controllers")) {
        self.client = client
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
    }

    /// The loops, ready for a `ServiceGroup`, after the service that runs the informers they
    /// share (one list+watch per kind: each pod change is decoded and cached once, not once per
    /// loop). A `ServiceGroup` stops services in reverse order, so the informers stop last.
    /// Each call makes a new set; run each set once.
    public var services: [any Service] {
        let lifecycle = MinionLifecycleController.Configuration(
            minionGrace: configuration.minionGrace, podEvictionTimeout: configuration.podEvictionTimeout)
        let informers = InformerFactory(client: client, clock: clock, logger: logger)
        return [
            SharedInformers(factory: informers),
            SchedulerService(informers: informers, configuration: configuration.scheduler, clock: clock,
                             logger: logger),
            ReplicationManager(informers: informers, configuration: configuration.replication, clock: clock,
                               logger: logger),
            EndpointsController(informers: informers, configuration: configuration.endpoints, clock: clock,
                                logger: logger),
            MinionLifecycleController(informers: informers, configuration: lifecycle, clock: clock, logger: logger),
        ]
    }
}

/// Runs the informers the control loops share, until graceful shutdown or cancellation.
struct SharedInformers: Service {
    let factory: InformerFactory

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await factory.run()
        }
    }
}
