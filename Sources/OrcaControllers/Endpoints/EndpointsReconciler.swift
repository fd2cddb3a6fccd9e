import OrcaAPI

/// The endpoints controller's decision for one service: from the service and the pods, the
/// `Endpoints` object that should exist (same name and namespace as the service).
///
/// Pure and deterministic: equal inputs, in any order, give equal objects, so comparing the
/// result with the stored object tells whether a write is needed.
///
/// Which pods: those in the service's namespace whose labels match `spec.selector`, that have a
/// `status.podIP`, and that have neither ended (`Succeeded`/`Failed`) nor begun deletion. A pod
/// whose `Ready` condition is `True` goes in `addresses`, any other in `notReadyAddresses` (the
/// proxies balance over `addresses` only). Each address carries the pod's IP, its minion
/// (`nodeName`) and a `targetRef` to the pod.
///
/// Which ports: for each service port, the pod's port it targets: `targetPort` as a number (0 or
/// unset: the service port), or as a name looked up among the pod's containers' ports (with the
/// service port's protocol). A pod without that named port is left out of that service port; a
/// pod that has none of the service's ports is left out. Pods whose ports resolve to different
/// numbers go into different subsets (one subset per distinct port list).
///
/// A service without a selector gets no decision (nil): its endpoints are the user's.
public struct EndpointsReconciler: Sendable {
    public init() {}

    /// The endpoints `service` should have given `pods` (any pods; others are ignored), or nil
    /// when the service has no selector.
    public func reconcile(service: Service, pods: [Pod]) -> Endpoints? {
        guard let selector = service.spec?.selector, !selector.isEmpty, !Self.isMasterService(service) else { return nil }
        let namespace = service.metadata.namespace ?? "default"
        let meta = ObjectMeta(name: service.metadata.name, namespace: namespace,
                              labels: service.metadata.labels.flatMap { $0.isEmpty ? nil : $0 })
        return Endpoints(metadata: meta, subsets: subsets(for: service, selector: LabelSelector(selector),
                                                           pods: pods, namespace: namespace))
    }

    /// `default/kubernetes` and `default/kubernetes-ro` carry the seed's selector
    /// (`component=apiserver,provider=kubernetes`) but no pod is the master: the API server
    /// writes their endpoints itself (its advertised address), as Kubernetes' master did.
    public static func isMasterService(_ service: Service) -> Bool {
        (service.metadata.namespace ?? "default") == "default"
            && ["kubernetes", "kubernetes-ro"].contains(service.metadata.name ?? "")
    }

    /// Whether `current` (as stored) already says what `desired` says: same subsets and labels.
    /// Server-set metadata and empty-versus-missing lists are not differences.
    public static func isUpToDate(_ current: Endpoints, desired: Endpoints) -> Bool {
        normalized(current.subsets) == normalized(desired.subsets)
            && (current.metadata.labels ?? [:]) == (desired.metadata.labels ?? [:])
    }

    // MARK: Subsets

    private struct Group {
        var ready: [EndpointAddress] = []
        var notReady: [EndpointAddress] = []
    }

    private func subsets(for service: Service, selector: LabelSelector, pods: [Pod], namespace: String)
        -> [EndpointSubset] {
        let servicePorts = service.spec?.ports ?? []
        var groups: [[EndpointPort]: Group] = [:]
        for pod in pods {
            guard (pod.metadata.namespace ?? "default") == namespace, selector.matches(pod.metadata.labels),
                  let ip = pod.status?.podIP, !ip.isEmpty, !pod.isTerminal, !pod.isBeingDeleted else { continue }
            let ports = servicePorts.compactMap { Self.endpointPort(for: $0, in: pod) }
                .sorted(by: Self.portOrder)
            // Headless services may have no ports; otherwise a pod must serve at least one.
            if ports.isEmpty && !servicePorts.isEmpty { continue }
            let node = pod.spec?.nodeName.flatMap { $0.isEmpty ? nil : $0 }
            let address = EndpointAddress(
                ip: ip, nodeName: node,
                targetRef: ObjectReference(kind: Pod.kind, namespace: namespace, name: pod.metadata.name,
                                           uid: pod.metadata.uid))
            if pod.hasReadyCondition {
                groups[ports, default: Group()].ready.append(address)
            } else {
                groups[ports, default: Group()].notReady.append(address)
            }
        }
        return groups
            .map { ports, group in
                EndpointSubset(
                    addresses: group.ready.isEmpty ? nil : group.ready.sorted(by: Self.addressOrder),
                    notReadyAddresses: group.notReady.isEmpty ? nil : group.notReady.sorted(by: Self.addressOrder),
                    ports: ports.isEmpty ? nil : ports)
            }
            .sorted { Self.portListOrder($0.ports ?? [], $1.ports ?? []) }
    }

    /// The endpoint port for `servicePort` on `pod`, or nil when the pod lacks the named port.
    static func endpointPort(for servicePort: ServicePort, in pod: Pod) -> EndpointPort? {
        let proto = servicePort.protocol ?? .tcp
        let name = servicePort.name.flatMap { $0.isEmpty ? nil : $0 }
        switch servicePort.targetPort {
        case .int(let number)?:
            return EndpointPort(name: name, port: number == 0 ? servicePort.port : number, protocol: proto)
        case nil, .string("")?:
            return EndpointPort(name: name, port: servicePort.port, protocol: proto)
        case .string(let portName)?:
            for container in pod.spec?.containers ?? [] {
                for port in container.ports ?? [] where port.name == portName && (port.protocol ?? .tcp) == proto {
                    return EndpointPort(name: name, port: port.containerPort, protocol: proto)
                }
            }
            return nil
        }
    }

    // MARK: Ordering

    static func portOrder(_ a: EndpointPort, _ b: EndpointPort) -> Bool {
        (a.name ?? "", a.port, a.protocol?.rawValue ?? "") < (b.name ?? "", b.port, b.protocol?.rawValue ?? "")
    }

    static func portListOrder(_ a: [EndpointPort], _ b: [EndpointPort]) -> Bool {
        for (x, y) in zip(a, b) where x != y { return portOrder(x, y) }
        return a.count < b.count
    }

    static func addressOrder(_ a: EndpointAddress, _ b: EndpointAddress) -> Bool {
        let aIP = ipOrderKey(a.ip), bIP = ipOrderKey(b.ip)
        if aIP != bIP { return aIP.lexicographicallyPrecedes(bIP) }
        return (a.ip, a.targetRef?.name ?? "", a.targetRef?.uid ?? "")
            < (b.ip, b.targetRef?.name ?? "", b.targetRef?.uid ?? "")
    }

    /// Dotted IPv4 sorts numerically (10.244.1.9 before 10.244.1.10); other text after, as text.
    private static func ipOrderKey(_ ip: String) -> [Int] {
        let parts = ip.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 4, parts.allSatisfy({ $0 != nil }) else { return [Int.max] }
        return parts.map { $0! }
    }

    // MARK: Comparison

    /// Subsets with empty lists as missing ones and missing protocols as TCP (the server's default).
    private static func normalized(_ subsets: [EndpointSubset]?) -> [EndpointSubset] {
        (subsets ?? []).map { subset in
            EndpointSubset(
                addresses: subset.addresses.flatMap { $0.isEmpty ? nil : $0 },
                notReadyAddresses: subset.notReadyAddresses.flatMap { $0.isEmpty ? nil : $0 },
                ports: subset.ports.flatMap { ports in
                    ports.isEmpty ? nil : ports.map { port in
                        var port = port
                        if port.protocol == nil || port.protocol?.rawValue == "" { port.protocol = .tcp }
                        return port
                    }
                })
        }
    }
}
