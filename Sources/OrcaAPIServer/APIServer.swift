import Foundation
import Hummingbird
import Logging
import OrcaAPI
import OrcaStore
import ServiceLifecycle

/// The master's API server: every kind over one `ObjectStore`, served in v1 and v1beta1.
///
/// Build it with ``make(configuration:store:)`` (which rebuilds the service-IP allocation from
/// the store, creates the system namespaces and publishes the master's own services), then run
/// ``application()``, ``compactor()`` and ``namespaceFinalizer()`` in a `ServiceGroup`.
public struct APIServer: Sendable {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        public var port = 8080
        public var serviceCIDR = IPv4CIDR("10.0.0.0/16")!
        /// Minions without a pod CIDR of their own get a /24 of this range.
        public var clusterCIDR = IPv4CIDR("10.244.0.0/16")!
        /// History older than this is compacted; a watch from before it gets 410 Gone.
        public var compactionInterval: Duration = .seconds(300)
        /// The longest a watch lasts before the server ends it (clients then watch again from
        /// their last resourceVersion), as Kubernetes' request timeout does.
        public var maxWatchDuration: Duration = .seconds(1800)
        /// The address pods reach the API server at: the endpoints of the `kubernetes` and
        /// `kubernetes-ro` services. Nil publishes none (a master on loopback only).
        public var advertiseAddress: String?
        public var logger = Logger(label: "orca.apiserver")

        public init() {}
    }

    public let configuration: Configuration
    public let store: any ObjectStore
    let endpoints: EndpointTable
    let discovery: Discovery
    let openAPI: OpenAPIDocuments
    let services: KindEndpoint<OrcaAPI.Service>
    let namespaces: NamespaceLifecycle

    public static func make(configuration: Configuration, store: any ObjectStore) async throws -> APIServer {
        let allocator = ServiceIPAllocator(cidr: configuration.serviceCIDR)
        let podCIDRs = PodCIDRAllocator(cluster: configuration.clusterCIDR)
        let server = try APIServer(configuration: configuration, store: store, allocator: allocator, podCIDRs: podCIDRs)
        // The allocations live in the objects themselves; rebuild them before serving.
        let existing = try await ResourceRegistry<OrcaAPI.Service>(store: store).list(namespace: nil, query: .all)
        for service in existing.items {
            if let ip = service.spec?.clusterIP { await allocator.markUsed(ip) }
        }
        for node in try await ResourceRegistry<Node>(store: store).list(namespace: nil, query: .all).items {
            if let cidr = node.spec?.podCIDR { await podCIDRs.markUsed(cidr) }
        }
        try await server.namespaces.ensureSystemNamespaces()
        try await server.publishMasterServices()
        try await server.publishMasterEndpoints()
        return server
    }

    private init(configuration: Configuration, store: any ObjectStore, allocator: ServiceIPAllocator,
                 podCIDRs: PodCIDRAllocator) throws {
        self.configuration = configuration
        self.store = store
        let namespaceRegistry = ResourceRegistry<Namespace>(
            store: store, rules: .withStatus(initial: NamespaceStatus(phase: .active)))
        let lifecycle = NamespaceLifecycle(registry: namespaceRegistry)
        namespaces = lifecycle
        let cascade = Cascade()
        var namespaceKind = KindEndpoint<Namespace>(registry: namespaceRegistry)
        namespaceKind.deleteObject = { name in try await lifecycle.delete(name) }

        var pods = KindEndpoint<Pod>(registry: ResourceRegistry(
            store: store, rules: .withStatus(initial: PodStatus(phase: .pending))))
        pods.namespaceLifecycle = lifecycle
        pods.cascade = cascade
        pods.addSubresource("binding", kind: "Binding", schema: Binding.self, verbs: ["create"]) {
            try await PodBinding.handle($0, $1)
        }
        let nodeReader = ResourceRegistry<Node>(store: store)
        pods.addSubresource("log", kind: "Pod", schema: Pod.self, verbs: ["get"]) {
            try await PodLog.handle($0, $1, nodes: nodeReader)
        }
        pods.addVersion(.v1beta1)

        var controllers = KindEndpoint<ReplicationController>(registry: ResourceRegistry(
            store: store, rules: .withStatus(initial: ReplicationControllerStatus(replicas: 0))))
        controllers.addSubresource("scale", kind: "Scale", schema: Scale.self, groupVersion: GroupVersion("autoscaling", "v1"),
                                   verbs: ["get", "patch", "update"]) { try await RCScale.handle($0, $1) }
        controllers.addVersion(.v1beta1)
        controllers.namespaceLifecycle = lifecycle
        controllers.cascade = cascade

        var services = KindEndpoint<OrcaAPI.Service>(registry: ResourceRegistry(store: store, rules: .withStatus()))
        services.addVersion(.v1beta1)
        services.namespaceLifecycle = lifecycle
        services.cascade = cascade
        services.admitCreate = { service in try await ServiceAdmission.allocate(&service, allocator) }
        services.undoCreate = { service in await ServiceAdmission.release(service, allocator) }
        services.admitUpdate = { new, old in ServiceAdmission.keepClusterIP(&new, old) }
        services.afterDelete = { service in await ServiceAdmission.release(service, allocator) }
        self.services = services

        // A minion registers with its status (capacity, addresses), so status is kept on create.
        var nodes = KindEndpoint<Node>(registry: ResourceRegistry(store: store, rules: .withStatus(keepOnCreate: true)))
        nodes.admitCreate = { node in
            let name = node.metadata.name ?? ""
            if let cidr = node.spec?.podCIDR, !cidr.isEmpty {
                try await podCIDRs.claim(cidr, node: name)
            } else {
                if node.spec == nil { node.spec = NodeSpec() }
                node.spec?.podCIDR = try await podCIDRs.allocate(node: name)
            }
        }
        nodes.undoCreate = { node in if let cidr = node.spec?.podCIDR { await podCIDRs.release(cidr) } }
        nodes.admitUpdate = { new, old in
            // An update that leaves the pod CIDR out keeps the assigned one.
            if (new.spec?.podCIDR ?? "").isEmpty {
                if new.spec == nil { new.spec = NodeSpec() }
                new.spec?.podCIDR = old.spec?.podCIDR
            }
        }
        nodes.afterDelete = { node in if let cidr = node.spec?.podCIDR { await podCIDRs.release(cidr) } }
        nodes.addVersion(.v1beta1)
        var endpointsKind = KindEndpoint<Endpoints>(registry: ResourceRegistry(store: store))
        endpointsKind.addVersion(.v1beta1)
        endpointsKind.namespaceLifecycle = lifecycle
        endpointsKind.cascade = cascade
        var events = KindEndpoint<Event>(registry: ResourceRegistry(store: store))
        events.addVersion(.v1beta1)
        events.namespaceLifecycle = lifecycle
        events.cascade = cascade
        nodes.cascade = cascade
        endpoints = EndpointTable([pods, controllers, services, endpointsKind, nodes, events, namespaceKind])
        cascade.set(endpoints.all)
        discovery = Discovery(endpoints)
        openAPI = try OpenAPIDocuments(endpoints)
    }

    /// The HTTP application (a `Service`), listening where the configuration says.
    public func application() -> some ApplicationProtocol {
        application(host: configuration.host, port: configuration.port)
    }

    /// The same API on another address (a master on a bridge address and on loopback).
    public func application(host: String, port: Int) -> some ApplicationProtocol {
        Application(
            responder: APIResponder(
                endpoints: endpoints, discovery: discovery, openAPI: openAPI, logger: configuration.logger,
                maxWatchDuration: configuration.maxWatchDuration),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            logger: configuration.logger)
    }

    /// Empties and removes deleted namespaces (a `Service`).
    public func namespaceFinalizer() -> some ServiceLifecycle.Service {
        NamespaceFinalizer(lifecycle: namespaces, contents: endpoints.all, logger: configuration.logger)
    }

    /// The periodic compaction of the store's history (a `Service`).
    public func compactor() -> some ServiceLifecycle.Service {
        StoreCompactor(store: store, interval: configuration.compactionInterval, logger: configuration.logger)
    }

    /// The master publishes itself as `kubernetes` (443) and `kubernetes-ro` (80), as the seed shows.
    func publishMasterServices() async throws {
        let selector = ["component": "apiserver", "provider": "kubernetes"]
        for (name, port) in [("kubernetes", 443), ("kubernetes-ro", 80)] {
            let service = OrcaAPI.Service(
                metadata: ObjectMeta(name: name, namespace: "default"),
                spec: ServiceSpec(ports: [ServicePort(protocol: .tcp, port: port)], selector: selector))
            // Look first: with a full service range, a create would fail on the IP before the name.
            if (try? await services.registry.get(namespace: "default", name: name)) != nil { continue }
            do {
                _ = try await services.create(service, namespace: "default")
            } catch let error as APIError where error.reason == .alreadyExists {
                continue
            }
        }
    }
}

extension APIServer {
    /// Writes the endpoints of `kubernetes` and `kubernetes-ro`: this API server at its
    /// advertised address and port (the endpoints controller leaves these two alone).
    func publishMasterEndpoints() async throws {
        let registry = ResourceRegistry<Endpoints>(store: store)
        let subsets = configuration.advertiseAddress.map { address in
            [EndpointSubset(addresses: [EndpointAddress(ip: address)],
                            ports: [EndpointPort(port: configuration.port, protocol: .tcp)])]
        } ?? []
        for name in ["kubernetes", "kubernetes-ro"] {
            let endpoints = Endpoints(metadata: ObjectMeta(name: name, namespace: "default"), subsets: subsets)
            do {
                _ = try await registry.create(endpoints, namespace: "default")
            } catch let error as APIError where error.reason == .alreadyExists {
                _ = try await registry.guaranteedUpdate(namespace: "default", name: name) { $0.subsets = subsets }
            }
        }
    }
}

extension RequestQuery {
    /// No selectors, no paging.
    static var all: RequestQuery {
        // Parsing no parameters cannot fail.
        (try? RequestQuery([], version: .v1))!
    }
}
