import AsyncHTTPClient
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import Logging
import OrcaAPI
import OrcaClient
import OrcaRuntime
import ServiceLifecycle
import Synchronization

/// The minion's agent: registers the Node and heartbeats, watches the pods bound to it and
/// runs them as runc containers in CNI sandboxes, keeps routes to the other minions' pod
/// CIDRs, and serves container logs.
///
/// Stopping it (SIGTERM) leaves the containers running: a kubelet that starts again on the
/// same data directory re-adopts them, as Kubernetes' does.
public final class Kubelet: ServiceLifecycle.Service, Sendable {
    public let configuration: KubeletConfiguration
    let client: OrcaClient
    let logger: Logger
    let manager: PodManager
    let pods: Informer<Pod>
    let nodes: Informer<Node>
    let images: ImageStore
    let boundPort = Mutex<Int?>(nil)

    /// The services' environment variables, when the kubelet keeps their cache itself.
    let serviceEnvironment: ServiceEnvironment?

    /// `services` supplies containers' service variables; nil keeps a watch of the cluster's
    /// services and gives the seed's variables (``ServiceEnvironment``).
    public init(configuration: KubeletConfiguration, client: OrcaClient,
                services: (any ServiceEnvironmentProvider)? = nil,
                logger: Logger = Logger(label: "orca.kubelet")) throws {
        self.configuration = configuration
        self.client = client
        var logger = logger
        logger[metadataKey: "minion"] = "\(configuration.nodeName)"
        self.logger = logger
        images = try ImageStore(root: configuration.imagesDirectory, registry: configuration.registry,
                                logger: logger)
        let runtime = try RuncRuntime(runc: configuration.runc, stateRoot: configuration.runcStateDirectory.path,
                                      bundleRoot: configuration.bundlesDirectory.path, logger: logger)
        let pods = Informer<Pod>(client: client, configuration: .init(
            fieldSelector: "spec.nodeName=\(configuration.nodeName)", resyncPeriod: nil))
        self.pods = pods
        nodes = Informer<Node>(client: client)
        let environment = services == nil ? ServiceEnvironment(client: client) : nil
        serviceEnvironment = environment
        manager = PodManager(configuration: configuration, client: client, images: images, runtime: runtime,
                             services: services ?? environment!, logger: logger, desired: { pods.get($0) })
        try FileManager.default.createDirectory(at: configuration.podsDirectory, withIntermediateDirectories: true)
    }

    /// The port the log server listens on, once it does.
    public var port: Int? { boundPort.withLock { $0 } }

    /// The pod network once the minion has registered and knows its pod CIDR (the DNS server
    /// listens on its gateway).
    public func podNetwork() async throws -> PodNetwork {
        while true {
            if let network = manager.network.withLock({ $0 }) { return network }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The image store (for `orca image load` and tests).
    public var imageStore: ImageStore { images }

    public func run() async throws {
        try Reaper.shared.becomeSubreaper()
        let server = LogServer(manager: manager, host: configuration.listenHost, port: configuration.listenPort,
                               logger: logger) { [self] port in self.boundPort.withLock { $0 = port } }
        // A graceful shutdown (SIGTERM) cancels the loops; the containers are left running.
        try await cancelWhenGracefulShutdown {
            try await self.runAll(server)
        }
    }

    private func runAll(_ server: LogServer) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.application().run() }
            group.addTask { try await self.runAgent() }
            // Either ending (the server failing to bind, cancellation) ends the kubelet.
            _ = try await group.next()
            group.cancelAll()
        }
    }

    /// Registration, then the pod loop, routes and heartbeats, until cancelled.
    private func runAgent() async throws {
        let kubeletPort = try await waitForPort()
        let reporter = NodeReporter(configuration: configuration, client: client, logger: logger)
        let podCIDR = try await registerUntilDone(reporter, kubeletPort: kubeletPort)
        let network = try PodNetwork(.init(
            podCIDR: podCIDR, dataDirectory: configuration.networkDirectory.path, bridge: configuration.bridge,
            pluginDirectory: configuration.cniPluginDirectory, hostNamespace: configuration.networkNamespace),
            logger: logger)
        try await network.prepareHost()
        manager.network.withLock { $0 = network }
        logger.info("minion registered", metadata: ["podCIDR": "\(podCIDR)", "kubeletPort": "\(kubeletPort)"])

        let routes = RouteSync(network: network, nodeName: configuration.nodeName, logger: logger)
        nodes.addHandlers(.enqueue { [nodes] _ in routes.changed(nodes.items) })
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.nodes.run() }
            if let environment = self.serviceEnvironment { group.addTask { await environment.run() } }
            group.addTask { await routes.run() }
            group.addTask { await self.heartbeats(reporter, kubeletPort: kubeletPort) }
            group.addTask {
                await self.pods.waitUntilSynced()
                // Take over what a previous kubelet left running before any sync can start a
                // container of its own: the handlers are added only then, and every pod is synced.
                await self.manager.adopt(pods: self.pods.items)
                self.watchPods()
                for pod in self.pods.items { self.manager.workers.enqueue(Informer<Pod>.key(of: pod)) }
                await self.resyncLoop()
            }
            group.addTask { await self.pods.run() }
            await group.waitForAll()
        }
        manager.workers.cancelTimers()
    }

    private func watchPods() {
        let manager = self.manager
        pods.addHandlers(.init(
            added: { pod in manager.workers.enqueue(Informer<Pod>.key(of: pod)) },
            updated: { old, pod in
                // Status-only changes (mostly this kubelet's own writes) need no sync, as in Kubernetes.
                if old.spec != pod.spec || old.metadata.uid != pod.metadata.uid
                    || old.metadata.deletionTimestamp != pod.metadata.deletionTimestamp {
                    manager.workers.enqueue(Informer<Pod>.key(of: pod))
                }
            },
            deleted: { pod in manager.workers.enqueue(Informer<Pod>.key(of: pod)) }))
    }

    private func waitForPort() async throws -> Int {
        while true {
            if let port = boundPort.withLock({ $0 }) { return port }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    private func registerUntilDone(_ reporter: NodeReporter, kubeletPort: Int) async throws -> String {
        var delay = Duration.milliseconds(200)
        while true {
            do {
                if let cidr = try await reporter.register(kubeletPort: kubeletPort), !cidr.isEmpty { return cidr }
                logger.warning("the master assigned no pod CIDR; retrying (give --pod-cidr or widen the master's --cluster-cidr)")
            } catch {
                logger.warning("cannot register with the master", metadata: ["error": "\(error)"])
            }
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }

    private func heartbeats(_ reporter: NodeReporter, kubeletPort: Int) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: configuration.heartbeatInterval)
                try await reporter.heartbeat(kubeletPort: kubeletPort)
            } catch is CancellationError {
                return
            } catch {
                logger.warning("heartbeat failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Every pod is synced again now and then, and pods that vanished from the cache while
    /// the watch was down are noticed.
    private func resyncLoop() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: configuration.resyncInterval) } catch { return }
            var keys = Set(pods.items.map { Informer<Pod>.key(of: $0) })
            keys.formUnion(manager.records.withLock { Array($0.keys) })
            for key in keys { manager.workers.enqueue(key) }
        }
    }
}
