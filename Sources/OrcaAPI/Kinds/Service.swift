/// A stable virtual IP and port in front of the pods that match `spec.selector`.
public struct Service: SpecCarryingObject, StatusSubresourceObject {
    public static let kind = "Service"
    public static let resource = "services"
    public static let namespaced = true
    public static let shortNames = ["svc"]
    public static let categories = ["all"]

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: ServiceSpec?
    public var status: ServiceStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: ServiceSpec? = ServiceSpec(), status: ServiceStatus? = nil) {
        self.apiVersion = "v1"
        self.kind = Service.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

public struct ServiceSpec: Codable, Sendable, Equatable {
    public var ports: [ServicePort]?
    public var selector: [String: String]?
    /// Allocated by the master from the service CIDR unless the user asks for a free one;
    /// immutable afterwards. `None` makes a headless service.
    public var clusterIP: String?
    /// `ClusterIP` (default) or `NodePort`/`LoadBalancer` (accepted, treated as ClusterIP).
    public var type: String?
    /// `None` (default) or `ClientIP`.
    public var sessionAffinity: String?
    public var externalIPs: [String]?

    public init(ports: [ServicePort]? = nil, selector: [String: String]? = nil, clusterIP: String? = nil) {
        self.ports = ports
        self.selector = selector
        self.clusterIP = clusterIP
    }
}

public struct ServicePort: Codable, Sendable, Equatable {
    public var name: String?
    public var `protocol`: PortProtocol?
    public var port: Int
    /// The pods' port, by number or by container port name; defaults to `port`.
    public var targetPort: IntOrString?
    public var nodePort: Int?

    public init(name: String? = nil, protocol proto: PortProtocol? = nil, port: Int, targetPort: IntOrString? = nil) {
        self.name = name
        self.protocol = proto
        self.port = port
        self.targetPort = targetPort
    }

    enum CodingKeys: String, CodingKey { case name, `protocol`, port, targetPort, nodePort }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        `protocol` = try c.decodeIfPresent(PortProtocol.self, forKey: .protocol)
        // 0 is reported by validation as out of range, with the field path.
        port = try c.decodeIfPresent(Int.self, forKey: .port) ?? 0
        targetPort = try c.decodeIfPresent(IntOrString.self, forKey: .targetPort)
        nodePort = try c.decodeIfPresent(Int.self, forKey: .nodePort)
    }
}

public struct ServiceStatus: Codable, Sendable, Equatable {
    public init() {}
}
