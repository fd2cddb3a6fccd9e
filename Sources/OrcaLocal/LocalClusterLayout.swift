/// Where everything of a local cluster is: the seed's addresses (minions 10.245.2.2, .3, ...
/// on a host bridge at 10.245.2.1), names of namespaces and links, ports. Pure.
public struct LocalClusterLayout: Sendable, Codable, Equatable {
    public var minions: Int
    /// Names of the bridge, namespaces and links start with it (`orca0`, `orca-minion-1`, `orca-m1`).
    public var prefix: String
    /// The first three octets of the minions' /24 (`10.245.2`).
    public var network: String
    public var bridge: String { "\(prefix)0" }
    /// The host's address on the bridge: the master, the registry, the minions' way home.
    public var hostIP: String { "\(network).1" }
    public var prefixLength = 24
    public var masterPort: Int
    public var registryPort: Int
    public var kubeletPort = 10250
    /// Never routed out of the host: unreachable routes cover them (more specific routes to
    /// each minion's pod CIDR go through that minion).
    public var podRange = "10.244.0.0/16"
    public var serviceRange = "10.0.0.0/16"

    public init(minions: Int, prefix: String = "orca", network: String = "10.245.2", masterPort: Int = 8080,
                registryPort: Int = 5000) {
        self.minions = minions
        self.prefix = prefix
        self.network = network
        self.masterPort = masterPort
        self.registryPort = registryPort
    }

    /// Minion `index` (0-based): its name (its IP, as the seed's minions were named), IP,
    /// network namespace and the host end of its veth.
    public struct Minion: Sendable, Equatable {
        public var name: String
        public var ip: String
        public var namespace: String
        public var hostLink: String
    }

    public func minion(_ index: Int) -> Minion {
        let ip = "\(network).\(2 + index)"
        return Minion(name: ip, ip: ip, namespace: "\(prefix)-minion-\(index + 1)", hostLink: "\(prefix)-m\(index + 1)")
    }

    public var allMinions: [Minion] { (0..<minions).map(minion) }
    public var masterURL: String { "http://\(hostIP):\(masterPort)" }
    public var registryHost: String { "\(hostIP):\(registryPort)" }
}
