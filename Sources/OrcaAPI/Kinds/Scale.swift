/// The `scale` subresource of a replication controller (`autoscaling/v1` Scale).
public struct Scale: Codable, Sendable, Equatable {
    public var apiVersion: String? = "autoscaling/v1"
    public var kind: String? = "Scale"
    public var metadata: ObjectMeta
    public var spec: ScaleSpec?
    public var status: ScaleStatus?

    public init(metadata: ObjectMeta, spec: ScaleSpec?, status: ScaleStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

public struct ScaleSpec: Codable, Sendable, Equatable {
    public var replicas: Int?
    public init(replicas: Int?) { self.replicas = replicas }
}

public struct ScaleStatus: Codable, Sendable, Equatable {
    public var replicas: Int
    /// The label selector in text form (`name=jenkins-slave`).
    public var selector: String?
    public init(replicas: Int, selector: String?) {
        self.replicas = replicas
        self.selector = selector
    }
}
