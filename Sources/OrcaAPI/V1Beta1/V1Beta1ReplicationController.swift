extension V1Beta1 {
    /// A replication controller: keep `desiredState.replicas` pods matching `replicaSelector`
    /// running, made from `podTemplate`. `currentState.replicas` is what runs (server-owned).
    public struct ReplicationController: V1Beta1.Object {
        public var typeMeta: TypeMeta
        public var desiredState: ReplicationControllerState?
        /// Read-only: only `replicas` is set, from the v1 status.
        public var currentState: ReplicationControllerState?
        public var labels: [String: String]?

        public init(typeMeta: TypeMeta = TypeMeta(kind: "ReplicationController"),
                    desiredState: ReplicationControllerState? = nil,
                    currentState: ReplicationControllerState? = nil, labels: [String: String]? = nil) {
            self.typeMeta = typeMeta
            self.desiredState = desiredState
            self.currentState = currentState
            self.labels = labels
        }

        enum CodingKeys: String, CodingKey { case desiredState, currentState, labels }

        public init(from decoder: any Decoder) throws {
            typeMeta = try TypeMeta(from: decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            desiredState = try c.decodeIfPresent(ReplicationControllerState.self, forKey: .desiredState)
            currentState = try c.decodeIfPresent(ReplicationControllerState.self, forKey: .currentState)
            labels = try c.decodeIfPresent([String: String].self, forKey: .labels)
        }

        public func encode(to encoder: any Encoder) throws {
            try typeMeta.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(desiredState, forKey: .desiredState)
            try c.encodeIfPresent(currentState, forKey: .currentState)
            try c.encodeIfPresent(labels, forKey: .labels)
        }
    }

    public struct ReplicationControllerState: Codable, Sendable, Equatable {
        public var replicas: Int?
        public var replicaSelector: [String: String]?
        public var podTemplate: PodTemplate?

        public init(replicas: Int? = nil, replicaSelector: [String: String]? = nil, podTemplate: PodTemplate? = nil) {
            self.replicas = replicas
            self.replicaSelector = replicaSelector
            self.podTemplate = podTemplate
        }

        enum CodingKeys: String, CodingKey { case replicas, replicaSelector, podTemplate }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            replicas = try c.decodeLenientIntIfPresent(forKey: .replicas)
            replicaSelector = try c.decodeIfPresent([String: String].self, forKey: .replicaSelector)
            podTemplate = try c.decodeIfPresent(PodTemplate.self, forKey: .podTemplate)
        }
    }

    /// What the controller's pods are made from: a pod's `desiredState`, labels and annotations.
    public struct PodTemplate: Codable, Sendable, Equatable {
        public var desiredState: PodState?
        public var nodeSelector: [String: String]?
        public var labels: [String: String]?
        public var annotations: [String: String]?

        public init(desiredState: PodState? = nil, labels: [String: String]? = nil,
                    annotations: [String: String]? = nil, nodeSelector: [String: String]? = nil) {
            self.desiredState = desiredState
            self.labels = labels
            self.annotations = annotations
            self.nodeSelector = nodeSelector
        }
    }
}
