import Logging
import OrcaAPI
import OrcaClient
import ServiceLifecycle

/// The endpoints controller: keeps, for every service with a selector, an `Endpoints` object of
/// the same name listing the matching pods' addresses and target ports (a `Service` for the
/// master's `ServiceGroup`).
///
/// It watches services, pods and endpoints. A pod change queues the services whose selector
/// matches the pod's labels before or after the change; a service change queues that service;
/// a change to endpoints of a selector service queues the service (so a hand edit is put back).
/// Each key is reconciled with ``EndpointsReconciler`` and written only when it differs from the
/// stored object. When a service goes, its endpoints go too. Services without a selector are left
/// alone: their endpoints are the user's. At start, endpoints whose service no longer exists
/// (checked against the master) are deleted, as Kubernetes does.
///
/// ```swift
/// let controller = EndpointsController(client: client, configuration: .init(), logger: logger)
/// ```
/// ``run()`` returns on graceful shutdown or cancellation.
public struct EndpointsController: ServiceLifecycle.Service {
    public struct Configuration: Sendable {
        /// Services reconciled at once.
        public var workers: Int = 4
        /// Every period every service is reconciled again even if nothing changed (nil: never).
        public var resyncPeriod: Duration? = .seconds(60)
        /// Only this namespace's services, pods and endpoints (nil: every namespace).
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
    ///   - client: the master's API; the controller needs list/watch of services, pods and
    ///     endpoints, and endpoints create/update/delete.
    ///   - clock: paces retries and resyncs.
    public init(client: OrcaClient, configuration: Configuration = Configuration(),
                clock: any Clock<Duration> = ContinuousClock(), logger: Logger) {
        self.init(client: client, informers: nil, configuration: configuration, clock: clock, logger: logger)
    }

    /// A controller that takes its service, pod and endpoints informers from `informers`, shared
    /// with the other loops of the process (the caller runs `informers`).
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
        logger[metadataKey: "controller"] = "endpoints"
        self.logger = logger
    }

    /// Runs until graceful shutdown or cancellation.
    public func run() async throws {
        let (client, configuration, clock, logger) = (client, configuration, clock, logger)
        await cancelWhenGracefulShutdown {
            await InformerFactory.using(informers, client: client, clock: clock, logger: logger) { informers in
                let loop = EndpointsLoop(informers: informers, configuration: configuration, clock: clock,
                                         logger: logger)
                await loop.run()
            }
        }
    }
}
