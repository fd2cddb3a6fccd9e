/// One service port as the proxy serves it: a listener on `serviceIP:port` (TCP or UDP) that
/// balances over `endpoints`.
///
/// The listener's identity is ``key`` (address, port, protocol). Two applies with rules of the same
/// key keep the same listener and only swap what it balances over; a rule whose key changes is a
/// new listener. Built from Services and Endpoints by ``ProxyRule/rules(service:endpoints:)``.
public struct ProxyRule: Sendable, Hashable, CustomStringConvertible {
    /// The transport a listener speaks.
    public enum TransportProtocol: String, Sendable, Hashable, Comparable {
        case tcp = "TCP"
        case udp = "UDP"

        public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    }

    /// Whether a client keeps landing on the same endpoint.
    public enum SessionAffinity: Sendable, Hashable {
        /// Every connection (TCP) or session (UDP) takes the next endpoint round-robin.
        case none
        /// A client IP goes to the endpoint it last used while that endpoint exists and the client
        /// was seen within `timeout`.
        case clientIP(timeout: Duration)

        /// Kubernetes' default `sessionAffinityConfig.clientIP.timeoutSeconds`: three hours.
        public static let defaultClientIPTimeout: Duration = .seconds(10800)
    }

    /// A backend: a pod's IP and the port the service port targets.
    public struct Endpoint: Sendable, Hashable, Comparable, CustomStringConvertible {
        public var ip: String
        public var port: Int

        public init(ip: String, port: Int) {
            self.ip = ip
            self.port = port
        }

        public var description: String { "\(ip):\(port)" }

        public static func < (a: Self, b: Self) -> Bool { (a.ip, a.port) < (b.ip, b.port) }
    }

    /// What a listener is bound to; unique among the rules of one apply.
    public struct Key: Sendable, Hashable, Comparable, CustomStringConvertible {
        public var serviceIP: String
        public var port: Int
        public var `protocol`: TransportProtocol

        public init(serviceIP: String, port: Int, protocol proto: TransportProtocol) {
            self.serviceIP = serviceIP
            self.port = port
            self.protocol = proto
        }

        public var description: String { "\(serviceIP):\(port)/\(`protocol`.rawValue)" }

        public static func < (a: Self, b: Self) -> Bool {
            (a.serviceIP, a.port, a.protocol.rawValue) < (b.serviceIP, b.port, b.protocol.rawValue)
        }
    }

    public var namespace: String
    public var name: String
    /// The service port's name; empty for the single unnamed port of a service.
    public var portName: String
    public var serviceIP: String
    public var port: Int
    public var `protocol`: TransportProtocol
    public var sessionAffinity: SessionAffinity
    /// Balanced round-robin in this order. Empty: TCP connections are reset at once and UDP
    /// datagrams dropped (Kubernetes rejects traffic to a service without endpoints).
    public var endpoints: [Endpoint]

    public init(namespace: String = "default", name: String, portName: String = "", serviceIP: String, port: Int,
                protocol proto: TransportProtocol = .tcp, sessionAffinity: SessionAffinity = .none,
                endpoints: [Endpoint]) {
        self.namespace = namespace
        self.name = name
        self.portName = portName
        self.serviceIP = serviceIP
        self.port = port
        self.protocol = proto
        self.sessionAffinity = sessionAffinity
        self.endpoints = endpoints
    }

    public var key: Key { Key(serviceIP: serviceIP, port: port, protocol: `protocol`) }

    /// `namespace/name:portName`, for logs.
    public var serviceName: String {
        portName.isEmpty ? "\(namespace)/\(name)" : "\(namespace)/\(name):\(portName)"
    }

    public var description: String { "\(serviceName) \(key) -> \(endpoints)" }
}
