import OrcaAPI

/// A port on the minion's own address, with its protocol: two pods asking for one cannot share a minion.
///
/// Packed in one integer so a minion's set of used ports is cheap to probe in the decision loop.
/// The `hostIP` a port may name is not considered: any two uses of a port and protocol conflict.
public struct HostPort: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let port: Int
    public let `protocol`: PortProtocol

    public init(port: Int, protocol proto: PortProtocol = .tcp) {
        self.port = port
        self.protocol = proto
    }

    /// `8080` for TCP (the default), `53/UDP` otherwise, as the unschedulable reason words it.
    public var description: String { `protocol` == .tcp ? "\(port)" : "\(port)/\(`protocol`.rawValue)" }

    public static func == (a: HostPort, b: HostPort) -> Bool { a.port == b.port && a.protocol == b.protocol }

    /// Hashes a number, not the protocol's text: probing a minion's ports is on the hot path.
    public func hash(into hasher: inout Hasher) {
        let code = switch `protocol` {
        case .tcp: 0
        case .udp: 1
        default: 2
        }
        hasher.combine(port &* 4 &+ code)
    }

    public static func < (a: HostPort, b: HostPort) -> Bool {
        (a.port, a.protocol.rawValue) < (b.port, b.protocol.rawValue)
    }

    /// Every host port a pod's containers ask for; with `hostNetwork` every container port is one.
    public static func ports(of spec: PodSpec?) -> [HostPort] {
        guard let spec else { return [] }
        let hostNetwork = spec.hostNetwork == true
        var ports: [HostPort] = []
        for container in spec.containers {
            for port in container.ports ?? [] {
                let number = port.hostPort ?? (hostNetwork ? port.containerPort : 0)
                guard number > 0 else { continue }
                let hostPort = HostPort(port: number, protocol: port.protocol ?? .tcp)
                if !ports.contains(hostPort) { ports.append(hostPort) }
            }
        }
        return ports
    }
}
