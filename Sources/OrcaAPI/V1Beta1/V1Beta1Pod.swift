extension V1Beta1 {
    /// A pod as the seed writes it: what to run under `desiredState.manifest`, what runs under
    /// `currentState` (set by the server; ignored on input).
    public struct Pod: V1Beta1.Object {
        public var typeMeta: TypeMeta
        public var labels: [String: String]?
        public var desiredState: PodState?
        /// Read-only: derived from the v1 status on output.
        public var currentState: PodState?
        public var nodeSelector: [String: String]?

        public init(typeMeta: TypeMeta = TypeMeta(kind: "Pod"), labels: [String: String]? = nil,
                    desiredState: PodState? = nil, currentState: PodState? = nil,
                    nodeSelector: [String: String]? = nil) {
            self.typeMeta = typeMeta
            self.labels = labels
            self.desiredState = desiredState
            self.currentState = currentState
            self.nodeSelector = nodeSelector
        }

        enum CodingKeys: String, CodingKey { case labels, desiredState, currentState, nodeSelector }

        public init(from decoder: any Decoder) throws {
            typeMeta = try TypeMeta(from: decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            labels = try c.decodeIfPresent([String: String].self, forKey: .labels)
            desiredState = try c.decodeIfPresent(PodState.self, forKey: .desiredState)
            currentState = try c.decodeIfPresent(PodState.self, forKey: .currentState)
            nodeSelector = try c.decodeIfPresent([String: String].self, forKey: .nodeSelector)
        }

        public func encode(to encoder: any Encoder) throws {
            try typeMeta.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(labels, forKey: .labels)
            try c.encodeIfPresent(desiredState, forKey: .desiredState)
            try c.encodeIfPresent(currentState, forKey: .currentState)
            try c.encodeIfPresent(nodeSelector, forKey: .nodeSelector)
        }
    }

    /// The desired or current state of a pod.
    public struct PodState: Codable, Sendable, Equatable {
        public var manifest: ContainerManifest?
        /// The pod's phase as v1 names it: `Pending`, `Running`, `Succeeded`, `Failed`, `Unknown`.
        public var status: String?
        /// Why the pod is in this state, in words.
        public var message: String?
        /// The minion the pod is bound to (v1 `spec.nodeName`).
        public var host: String?
        public var hostIP: String?
        public var podIP: String?
        /// Container name -> its status.
        public var info: [String: ContainerStatus]?

        public init(manifest: ContainerManifest? = nil, status: String? = nil, host: String? = nil) {
            self.manifest = manifest
            self.status = status
            self.host = host
        }
    }
}
