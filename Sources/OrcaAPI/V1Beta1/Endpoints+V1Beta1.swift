extension Endpoints: V1Beta1Convertible {
    public static let v1beta1Resource = "endpoints"
    public static let v1beta1Kind = "Endpoints"

    /// `"ip:port"` entries, grouped by port into one subset each (in order of first appearance).
    /// IPv6 addresses are written `[ip]:port`. An entry that is not `ip:port` is a 400.
    public init(v1beta1 endpoints: V1Beta1.Endpoints) throws(APIError) {
        let meta = endpoints.typeMeta.objectMeta(labels: nil, namespaced: true)
        var ports: [Int] = []
        var addressesByPort: [Int: [EndpointAddress]] = [:]
        for (i, entry) in (endpoints.endpoints ?? []).enumerated() {
            guard let (ip, port) = Endpoints.split(entry) else {
                throw .unconvertible(
                    FieldPath("endpoints").index(i),
                    "Invalid value: \"\(entry)\": must be ip:port, such as 10.244.1.5:8080")
            }
            if addressesByPort[port] == nil { ports.append(port) }
            addressesByPort[port, default: []].append(EndpointAddress(ip: ip))
        }
        let subsets = ports.map { EndpointSubset(addresses: addressesByPort[$0], ports: [EndpointPort(port: $0)]) }
        self.init(metadata: meta, subsets: endpoints.endpoints == nil ? nil : subsets)
    }

    /// Every ready address with every port of its subset; not-ready addresses are left out.
    public var v1beta1: V1Beta1.Endpoints {
        var entries: [String]?
        if let subsets {
            entries = []
            for subset in subsets {
                for address in subset.addresses ?? [] {
                    let host = address.ip.contains(":") ? "[\(address.ip)]" : address.ip
                    for port in subset.ports ?? [] { entries?.append("\(host):\(port.port)") }
                }
            }
        }
        return V1Beta1.Endpoints(
            typeMeta: V1Beta1.TypeMeta(kind: Endpoints.v1beta1Kind, metadata: metadata), endpoints: entries)
    }

    /// `10.0.0.1:80` -> ("10.0.0.1", 80); `[fd00::1]:80` -> ("fd00::1", 80).
    static func split(_ entry: String) -> (String, Int)? {
        guard let colon = entry.lastIndex(of: ":") else { return nil }
        var host = entry[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard !host.isEmpty, let port = Int(entry[entry.index(after: colon)...]), (1...65535).contains(port) else {
            return nil
        }
        return (String(host), port)
    }
}
