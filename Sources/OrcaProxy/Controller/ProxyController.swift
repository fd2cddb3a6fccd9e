import Logging
import OrcaAPI
import OrcaClient
import ServiceLifecycle

/// The service proxy of a minion (a `Service` for `orca minion`'s `ServiceGroup`): watches Services
/// and Endpoints, turns them into ``ProxyRule``s and keeps a ``ServiceProxy`` and the service
/// addresses in step with them.
///
/// A change of any service or endpoints marks the rules dirty; after `coalesceDelay` (so a burst
/// of changes is one apply) the full desired set is rebuilt from the informers' caches and
/// applied: service IPs made local (``ServiceAddressManager/add(_:)``), listeners reconciled, the
/// addresses of gone services removed. A failed apply (an address or listener that could not be
/// set up) is retried with backoff; every `resyncPeriod` the rules are applied again anyway.
/// Nothing is applied before both informers have listed, so a restart never closes listeners or
/// drops addresses of services that still exist.
///
/// ```swift
/// let addresses = DummyInterfaceAddresses { arguments, stdin in ... }   // runs `ip`
/// let controller = ProxyController(client: client, addresses: addresses, logger: logger)
/// ```
/// ``run()`` returns on graceful shutdown or cancellation, after closing every listener and
/// connection; the service addresses are left in place (see ``DummyInterfaceAddresses``).
public struct ProxyController: ServiceLifecycle.Service {
    public struct Configuration: Sendable {
        /// Only this namespace's services (nil: every namespace, as a minion needs).
        public var namespace: String?
        /// How long after a change the rules are rebuilt; changes meanwhile join the same apply.
        public var coalesceDelay: Duration = .milliseconds(50)
        /// Every period the rules are applied again even if nothing changed.
        public var resyncPeriod: Duration = .seconds(60)
        /// The first retry delay of a failed apply; it doubles per failure up to `maxRetryDelay`.
        public var retryDelay: Duration = .seconds(1)
        public var maxRetryDelay: Duration = .seconds(30)
        /// Options of the proxy itself (timeouts, buffers).
        public var proxy = ServiceProxy.Configuration()

        public init() {}
    }

    public let configuration: Configuration
    /// The proxy this controller drives (for diagnostics and tests).
    public let proxy: ServiceProxy
    private let client: OrcaClient
    private let informers: InformerFactory?
    private let addresses: any ServiceAddressManager
    private let clock: any Clock<Duration>
    private let logger: Logger

    /// - Parameters:
    ///   - client: the master's API; the controller needs list/watch of services and endpoints.
    ///   - addresses: makes service IPs local (``DummyInterfaceAddresses`` on a minion,
    ///     ``LocalAddresses`` when they are local already).
    ///   - clock: paces coalescing, retries and resyncs.
    public init(client: OrcaClient, configuration: Configuration = Configuration(),
                addresses: any ServiceAddressManager, clock: any Clock<Duration> = ContinuousClock(),
                logger: Logger) {
        self.init(client: client, informers: nil, configuration: configuration, addresses: addresses, clock: clock,
                  logger: logger)
    }

    /// A controller that takes its service and endpoints informers from `informers`, shared with
    /// other loops of the process (the caller runs `informers`).
    public init(informers: InformerFactory, configuration: Configuration = Configuration(),
                addresses: any ServiceAddressManager, clock: any Clock<Duration> = ContinuousClock(),
                logger: Logger) {
        self.init(client: informers.client, informers: informers, configuration: configuration,
                  addresses: addresses, clock: clock, logger: logger)
    }

    private init(client: OrcaClient, informers: InformerFactory?, configuration: Configuration,
                 addresses: any ServiceAddressManager, clock: any Clock<Duration>, logger: Logger) {
        var logger = logger
        logger[metadataKey: "component"] = "proxy"
        self.client = client
        self.informers = informers
        self.configuration = configuration
        self.addresses = addresses
        self.clock = clock
        self.logger = logger
        self.proxy = ServiceProxy(configuration: configuration.proxy, logger: logger)
    }

    /// Runs until graceful shutdown or cancellation; then closes the listeners.
    public func run() async throws {
        let (client, configuration, clock, logger, proxy, addresses) =
            (client, configuration, clock, logger, proxy, addresses)
        await cancelWhenGracefulShutdown {
            await InformerFactory.using(informers, client: client, clock: clock, logger: logger) { informers in
                let loop = ProxySyncLoop(informers: informers, proxy: proxy, addresses: addresses,
                                         configuration: configuration, clock: clock, logger: logger)
                await loop.run()
            }
        }
        await proxy.shutdown()
    }
}
