import NIOCore
import OrcaAPI

extension ProxyRule {
    /// The rules of every service that has a cluster IP, with the endpoints of the same name:
    /// the proxy's full desired set, sorted by listener key.
    ///
    /// Pure: equal inputs in any order give equal rules.
    public static func rules(services: [Service], endpoints: [Endpoints]) -> [ProxyRule] {
        var byKey: [String: Endpoints] = [:]
        byKey.reserveCapacity(endpoints.count)
        for object in endpoints {
            byKey["\(object.metadata.namespace ?? "default")/\(object.metadata.name ?? "")"] = object
        }
        var rules: [ProxyRule] = []
        rules.reserveCapacity(services.count)
        for service in services {
            let key = "\(service.metadata.namespace ?? "default")/\(service.metadata.name ?? "")"
            rules += Self.rules(service: service, endpoints: byKey[key])
        }
        return rules.sorted { ($0.key, $0.namespace, $0.name) < ($1.key, $1.namespace, $1.name) }
    }

    /// One rule per port of `service`, balancing over the ready addresses of `endpoints`, as
    /// Kubernetes' proxies do:
    /// - no rule for a service without a cluster IP, a headless one (`None`), or one whose IP or
    ///   port is not valid (validation rejects those; the proxy must not trust it);
    /// - a service port takes, from every subset, the endpoint port of the same name (the
    ///   endpoints controller names them after the service ports; an unnamed port matches an
    ///   unnamed one) and pairs it with each of the subset's `addresses` (`notReadyAddresses`
    ///   get no traffic);
    /// - endpoints are deduplicated and sorted, so a reordering is no change;
    /// - `sessionAffinity: ClientIP` gives client-IP affinity with Kubernetes' default timeout.
    public static func rules(service: Service, endpoints: Endpoints?) -> [ProxyRule] {
        guard let spec = service.spec, let ip = spec.clusterIP, isIPAddress(ip) else { return [] }
        let namespace = service.metadata.namespace ?? "default"
        let name = service.metadata.name ?? ""
        let affinity: SessionAffinity = spec.sessionAffinity == "ClientIP"
            ? .clientIP(timeout: SessionAffinity.defaultClientIPTimeout) : .none
        var rules: [ProxyRule] = []
        for servicePort in spec.ports ?? [] where (1...65535).contains(servicePort.port) {
            let proto: TransportProtocol
            switch servicePort.protocol ?? .tcp {
            case .tcp: proto = .tcp
            case .udp: proto = .udp
            default: continue
            }
            let portName = servicePort.name ?? ""
            rules.append(ProxyRule(
                namespace: namespace, name: name, portName: portName, serviceIP: ip, port: servicePort.port,
                protocol: proto, sessionAffinity: affinity,
                endpoints: Self.endpoints(named: portName, in: endpoints)))
        }
        return rules
    }

    private static func endpoints(named portName: String, in endpoints: Endpoints?) -> [Endpoint] {
        var found = Set<Endpoint>()
        for subset in endpoints?.subsets ?? [] {
            guard let port = subset.ports?.first(where: { ($0.name ?? "") == portName }),
                  (1...65535).contains(port.port) else { continue }
            for address in subset.addresses ?? [] where isIPAddress(address.ip) {
                found.insert(Endpoint(ip: address.ip, port: port.port))
            }
        }
        return found.sorted()
    }

    /// Whether `text` is a literal IPv4 or IPv6 address (no names, no masks).
    static func isIPAddress(_ text: String) -> Bool {
        !text.isEmpty && (try? SocketAddress(ipAddress: text, port: 0)) != nil
    }
}
