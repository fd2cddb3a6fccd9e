extension V1Beta1 {
    /// Binds a pod to a minion: `POST /api/v1beta1/bindings` with `{"podID": ..., "host": ...}`.
    public struct Binding: V1Beta1.Object {
        public var typeMeta: TypeMeta
        public var podID: String?
        public var host: String?

        public init(typeMeta: TypeMeta = TypeMeta(kind: "Binding"), podID: String?, host: String?) {
            self.typeMeta = typeMeta
            self.podID = podID
            self.host = host
        }

        enum CodingKeys: String, CodingKey { case podID, host }

        public init(from decoder: any Decoder) throws {
            typeMeta = try TypeMeta(from: decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            podID = try c.decodeIfPresent(String.self, forKey: .podID)
            host = try c.decodeIfPresent(String.self, forKey: .host)
        }

        public func encode(to encoder: any Encoder) throws {
            try typeMeta.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(podID, forKey: .podID)
            try c.encodeIfPresent(host, forKey: .host)
        }
    }
}

extension Binding {
    /// `podID` names the pod (`metadata.name`), `host` the minion (`target`, kind `Node`).
    public init(v1beta1 binding: V1Beta1.Binding) {
        var meta = binding.typeMeta.objectMeta(labels: nil, namespaced: true)
        if (meta.name ?? "").isEmpty { meta.name = binding.podID }
        self.init(metadata: meta, target: ObjectReference(kind: "Node", name: binding.host))
    }

    public var v1beta1: V1Beta1.Binding {
        V1Beta1.Binding(typeMeta: V1Beta1.TypeMeta(kind: "Binding", metadata: metadata), podID: metadata.name,
                        host: target.name)
    }
}
