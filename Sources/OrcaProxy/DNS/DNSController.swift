import Logging
import OrcaAPI
import OrcaClient
import ServiceLifecycle

/// Runs the cluster ``DNSServer`` and keeps its records in step with the master's services (a
/// `Service` for the minion's `ServiceGroup`).
///
/// It watches services in every namespace through an informer; a burst of changes (a
/// relist, many creates) is applied as one table after ``Configuration/coalescingDelay``.
/// Until the first list arrives the server answers SERVFAIL for names in the cluster zone, so
/// pods that start early retry instead of caching NXDOMAIN; other names are forwarded from the
/// start.
///
/// ```swift
/// let dns = DNSController(client: client, configuration: .init(server: .init(host: "10.245.2.1")),
///                         logger: logger)
/// // in the ServiceGroup; pods get DNSController.resolvConf(namespace: ns, nameserver: "10.245.2.1")
/// ```
/// ``run()`` returns on graceful shutdown or cancellation; it throws if the server cannot bind
/// its address or a socket breaks.
public struct DNSController: ServiceLifecycle.Service {
    public struct Configuration: Sendable {
        public var server: DNSServer.Configuration
        /// How long to wait after a change for the rest of its burst before rebuilding the table.
        public var coalescingDelay: Duration = .milliseconds(100)

        public init(server: DNSServer.Configuration) {
            self.server = server
        }
    }

    public let configuration: Configuration
    /// The server this controller runs (to read its records, e.g. in tests).
    public let server: DNSServer
    private let client: OrcaClient
    private let informers: InformerFactory?
    private let clock: any Clock<Duration>
    private let logger: Logger

    /// - Parameter client: the master's API; the controller needs list and watch of services.
    public init(client: OrcaClient, configuration: Configuration, clock: any Clock<Duration> = ContinuousClock(),
                logger: Logger) {
        self.init(client: client, informers: nil, configuration: configuration, clock: clock, logger: logger)
    }

    /// A controller that takes its service informer from `informers`, shared with the other
    /// loops of the process (the caller runs `informers`).
    public init(informers: InformerFactory, configuration: Configuration,
                clock: any Clock<Duration> = ContinuousClock(), logger: Logger) {
        self.init(client: informers.client, informers: informers, configuration: configuration, clock: clock,
                  logger: logger)
    }

    private init(client: OrcaClient, informers: InformerFactory?, configuration: Configuration,
                 clock: any Clock<Duration>, logger: Logger) {
        var logger = logger
        logger[metadataKey: "component"] = "dns"
        self.client = client
        self.informers = informers
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        server = DNSServer(configuration: configuration.server, logger: logger)
    }

    /// Serves until graceful shutdown or cancellation.
    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                group.addTask {
                    await InformerFactory.using(informers, client: client, clock: clock, logger: logger) { factory in
                        await self.keepRecords(from: factory.informer(OrcaAPI.Service.self))
                    }
                }
                defer { group.cancelAll() }
                // The server ends only by throwing; the informer side only on cancellation.
                _ = try await group.next()
            }
        }
    }

    /// Rebuilds the server's table after every burst of service changes, until cancelled.
    private func keepRecords(from informer: Informer<OrcaAPI.Service>) async {
        let (changes, changed) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        defer { changed.finish() }
        informer.addHandlers(.enqueue { _ in changed.yield() })
        await informer.waitUntilSynced()
        guard !Task.isCancelled else { return }
        server.update(services: informer.items)
        logger.debug("DNS records synced", metadata: ["services": "\(informer.items.count)"])
        for await _ in changes {
            do {
                try await clock.sleep(for: configuration.coalescingDelay)
            } catch {
                return
            }
            server.update(services: informer.items)
        }
    }
}

extension DNSController {
    /// The `/etc/resolv.conf` of a pod in `namespace` whose DNS server is `nameserver`.
    ///
    /// `ndots:5` makes every name with fewer than five dots try the search list first, so
    /// `jenkins` and `jenkins.default` resolve through the cluster names (Kubernetes' choice).
    public static func resolvConf(namespace: String, nameserver: String,
                                  clusterDomain: String = "cluster.local") -> String {
        """
        search \(namespace).svc.\(clusterDomain) svc.\(clusterDomain) \(clusterDomain)
        nameserver \(nameserver)
        options ndots:5

        """
    }
}
