/// A minion: a host that runs pods. v1 calls it Node; the seed's v1beta1 calls it Minion.
public struct Node: SpecCarryingObject, StatusSubresourceObject {
    public static let kind = "Node"
    public static let resource = "nodes"
    public static let namespaced = false
    public static let shortNames = ["no"]

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: NodeSpec?
    /// Written by the minion's heartbeat and by the lifecycle controller.
    public var status: NodeStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: NodeSpec? = NodeSpec(), status: NodeStatus? = nil) {
        self.apiVersion = "v1"
        self.kind = Node.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

public struct NodeSpec: Codable, Sendable, Equatable {
    public var podCIDR: String?
    public var unschedulable: Bool?
    public var externalID: String?
    public var providerID: String?

    public init(podCIDR: String? = nil, unschedulable: Bool? = nil) {
        self.podCIDR = podCIDR
        self.unschedulable = unschedulable
    }
}

public struct NodeStatus: Codable, Sendable, Equatable {
    public var capacity: [String: Quantity]?
    public var allocatable: [String: Quantity]?
    public var conditions: [NodeCondition]?
    public var addresses: [NodeAddress]?
    public var nodeInfo: NodeSystemInfo?
    public var phase: String?
    /// Where the minion's kubelet listens (the master proxies container logs there).
    public var daemonEndpoints: NodeDaemonEndpoints?

    public init(capacity: [String: Quantity]? = nil, conditions: [NodeCondition]? = nil,
                addresses: [NodeAddress]? = nil) {
        self.capacity = capacity
        self.conditions = conditions
        self.addresses = addresses
    }
}

public struct NodeCondition: Codable, Sendable, Equatable {
    /// `Ready` is the one the scheduler and lifecycle controller use.
    public var type: String
    public var status: String
    public var lastHeartbeatTime: Timestamp?
    public var lastTransitionTime: Timestamp?
    public var reason: String?
    public var message: String?

    public init(type: String, status: String, lastHeartbeatTime: Timestamp? = nil,
                lastTransitionTime: Timestamp? = nil, reason: String? = nil, message: String? = nil) {
        self.type = type
        self.status = status
        self.lastHeartbeatTime = lastHeartbeatTime
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }
}

public struct NodeAddress: Codable, Sendable, Equatable {
    /// `InternalIP`, `ExternalIP` or `Hostname`.
    public var type: String
    public var address: String

    public init(type: String, address: String) {
        self.type = type
        self.address = address
    }
}

/// What a minion reports of itself. Every field is always written (empty when unknown): the
/// official clients treat each as required.
public struct NodeSystemInfo: Codable, Sendable, Equatable {
    public var machineID = ""
    public var systemUUID = ""
    public var bootID = ""
    public var kernelVersion = ""
    public var osImage = ""
    public var containerRuntimeVersion = ""
    public var kubeletVersion = ""
    public var kubeProxyVersion = ""
    public var operatingSystem = ""
    public var architecture = ""

    public init() {}

    enum CodingKeys: String, CodingKey {
        case machineID, systemUUID, bootID, kernelVersion, osImage, containerRuntimeVersion, kubeletVersion
        case kubeProxyVersion, operatingSystem, architecture
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        machineID = try c.decodeIfPresent(String.self, forKey: .machineID) ?? ""
        systemUUID = try c.decodeIfPresent(String.self, forKey: .systemUUID) ?? ""
        bootID = try c.decodeIfPresent(String.self, forKey: .bootID) ?? ""
        kernelVersion = try c.decodeIfPresent(String.self, forKey: .kernelVersion) ?? ""
        osImage = try c.decodeIfPresent(String.self, forKey: .osImage) ?? ""
        containerRuntimeVersion = try c.decodeIfPresent(String.self, forKey: .containerRuntimeVersion) ?? ""
        kubeletVersion = try c.decodeIfPresent(String.self, forKey: .kubeletVersion) ?? ""
        kubeProxyVersion = try c.decodeIfPresent(String.self, forKey: .kubeProxyVersion) ?? ""
        operatingSystem = try c.decodeIfPresent(String.self, forKey: .operatingSystem) ?? ""
        architecture = try c.decodeIfPresent(String.self, forKey: .architecture) ?? ""
    }
}

/// Ports of the daemons on a minion (Kubernetes' `daemonEndpoints`).
public struct NodeDaemonEndpoints: Codable, Sendable, Equatable {
    public var kubeletEndpoint: DaemonEndpoint?

    public init(kubeletEndpoint: DaemonEndpoint? = nil) { self.kubeletEndpoint = kubeletEndpoint }
}

public struct DaemonEndpoint: Codable, Sendable, Equatable {
    /// Kubernetes spells this field with a capital P.
    public var port: Int

    public init(port: Int) { self.port = port }

    enum CodingKeys: String, CodingKey { case port = "Port" }
}
