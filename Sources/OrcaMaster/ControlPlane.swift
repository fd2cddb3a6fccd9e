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

    /// The loops, ready for a `ServiceGroup`.
    public var services: [any Service] {
        let lifecycle = MinionLifecycleController.Configuration(
            minionGrace: configuration.minionGrace, podEvictionTimeout: configuration.podEvictionTimeout)
        return [
            SchedulerService(client: client, configuration: configuration.scheduler, clock: clock, logger: logger),
            ReplicationManager(client: client, configuration: configuration.replication, clock: clock, logger: logger),
            EndpointsController(client: client, configuration: configuration.endpoints, clock: clock, logger: logger),
            MinionLifecycleController(client: client, configuration: lifecycle, clock: clock, logger: logger),
        ]
    }
}
