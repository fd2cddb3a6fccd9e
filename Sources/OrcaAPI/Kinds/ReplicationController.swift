/// Keeps `spec.replicas` pods matching `spec.selector` running, made from `spec.template`.
public struct ReplicationController: SpecCarryingObject, StatusSubresourceObject {
    public static let kind = "ReplicationController"
    public static let resource = "replicationcontrollers"
    public static let namespaced = true
    public static let shortNames = ["rc"]
    public static let categories = ["all"]

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: ReplicationControllerSpec?
    /// Written by the replication manager.
    public var status: ReplicationControllerStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: ReplicationControllerSpec? = nil,
                status: ReplicationControllerStatus? = nil) {
        self.apiVersion = "v1"
        self.kind = ReplicationController.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

public struct ReplicationControllerSpec: Codable, Sendable, Equatable {
    public var replicas: Int?
    public var selector: [String: String]?
    public var template: PodTemplateSpec?

    public init(replicas: Int? = nil, selector: [String: String]? = nil, template: PodTemplateSpec? = nil) {
        self.replicas = replicas
        self.selector = selector
        self.template = template
    }
}

/// What an RC's pods are made from: labels and annotations plus a pod spec.
public struct PodTemplateSpec: Codable, Sendable, Equatable {
    public var metadata: ObjectMeta?
    public var spec: PodSpec?

    public init(metadata: ObjectMeta? = nil, spec: PodSpec? = nil) {
        self.metadata = metadata
        self.spec = spec
    }
}

public struct ReplicationControllerStatus: Codable, Sendable, Equatable {
    public var replicas: Int
    public var readyReplicas: Int?
    public var availableReplicas: Int?
    public var fullyLabeledReplicas: Int?
    public var observedGeneration: Int64?

    public init(replicas: Int = 0, readyReplicas: Int? = nil, observedGeneration: Int64? = nil) {
        self.replicas = replicas
        self.readyReplicas = readyReplicas
        self.observedGeneration = observedGeneration
    }
}
