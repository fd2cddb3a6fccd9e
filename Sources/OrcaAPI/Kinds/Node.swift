/// A minion: a host that runs pods. v1 calls it Node; the seed's v1beta1 calls it Minion.
public struct Node: SpecCarryingObject, StatusSubresourceObject {
    public static let kind = "Node"
    public static let resource = "nodes"
    public static let namespaced = false

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

public struct NodeSystemInfo: Codable, Sendable, Equatable {
    public var kernelVersion: String?
    public var osImage: String?
    public var containerRuntimeVersion: String?
    public var kubeletVersion: String?
    public var architecture: String?
    public var operatingSystem: String?

    public init() {}
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
