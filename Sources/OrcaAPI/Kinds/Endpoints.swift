/// The addresses behind a service, kept by the endpoints controller; same name as the service.
public struct Endpoints: APIObject {
    public static let kind = "Endpoints"
    public static let resource = "endpoints"
    public static let namespaced = true
    public static let shortNames = ["ep"]

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var subsets: [EndpointSubset]?

    public init(metadata: ObjectMeta = ObjectMeta(), subsets: [EndpointSubset]? = nil) {
        self.apiVersion = "v1"
        self.kind = Endpoints.kind
        self.metadata = metadata
        self.subsets = subsets
    }
}

public struct EndpointSubset: Codable, Sendable, Equatable {
    public var addresses: [EndpointAddress]?
    public var notReadyAddresses: [EndpointAddress]?
    public var ports: [EndpointPort]?

    public init(addresses: [EndpointAddress]? = nil, notReadyAddresses: [EndpointAddress]? = nil,
                ports: [EndpointPort]? = nil) {
        self.addresses = addresses
        self.notReadyAddresses = notReadyAddresses
        self.ports = ports
    }
}

public struct EndpointAddress: Codable, Sendable, Equatable, Hashable {
    public var ip: String
    public var nodeName: String?
    public var targetRef: ObjectReference?

    public init(ip: String, nodeName: String? = nil, targetRef: ObjectReference? = nil) {
        self.ip = ip
        self.nodeName = nodeName
        self.targetRef = targetRef
    }
}

public struct EndpointPort: Codable, Sendable, Equatable, Hashable {
    public var name: String?
    public var port: Int
    public var `protocol`: PortProtocol?

    public init(name: String? = nil, port: Int, protocol proto: PortProtocol? = nil) {
        self.name = name
        self.port = port
        self.protocol = proto
    }
}
