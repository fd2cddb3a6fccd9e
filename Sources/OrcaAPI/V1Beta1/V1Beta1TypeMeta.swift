extension V1Beta1 {
    /// The identity fields every v1beta1 object carries inline (v1 puts them under `metadata`).
    ///
    /// `uid`, `creationTimestamp`, `selfLink` and `resourceVersion` are set by the server; a
    /// client sends `resourceVersion` back on update for the compare-and-swap.
    public struct TypeMeta: Codable, Sendable, Equatable {
        public var kind: String?
        public var apiVersion: String?
        /// The name (`metadata.name`).
        public var id: String?
        /// A prefix for a server-generated name when `id` is empty.
        public var generateName: String?
        public var uid: String?
        public var creationTimestamp: Timestamp?
        public var selfLink: String?
        /// A JSON number here; v1 writes it as text.
        public var resourceVersion: UInt64?
        /// Empty means `default` for namespaced kinds; minions have none.
        public var namespace: String?
        public var annotations: [String: String]?

        public init(kind: String? = nil, apiVersion: String? = V1Beta1.apiVersion, id: String? = nil,
                    namespace: String? = nil) {
            self.kind = kind
            self.apiVersion = apiVersion
            self.id = id
            self.namespace = namespace
        }

        enum CodingKeys: String, CodingKey {
            case kind, apiVersion, id, generateName, uid, creationTimestamp, selfLink, resourceVersion, namespace
            case annotations
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            kind = try c.decodeIfPresent(String.self, forKey: .kind)
            apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion)
            id = try c.decodeIfPresent(String.self, forKey: .id)
            generateName = try c.decodeIfPresent(String.self, forKey: .generateName)
            uid = try c.decodeIfPresent(String.self, forKey: .uid)
            creationTimestamp = try c.decodeIfPresent(Timestamp.self, forKey: .creationTimestamp)
            selfLink = try c.decodeIfPresent(String.self, forKey: .selfLink)
            resourceVersion = try c.decodeLenientUInt64IfPresent(forKey: .resourceVersion)
            namespace = try c.decodeIfPresent(String.self, forKey: .namespace)
            annotations = try c.decodeIfPresent([String: String].self, forKey: .annotations)
        }
    }
}

extension V1Beta1.TypeMeta {
    /// The inline fields of a v1 object, with `kind` set to the v1beta1 kind name.
    public init(kind: String, metadata: ObjectMeta) {
        self.init(kind: kind, apiVersion: V1Beta1.apiVersion, id: metadata.name, namespace: metadata.namespace)
        generateName = metadata.generateName
        uid = metadata.uid
        creationTimestamp = metadata.creationTimestamp
        selfLink = metadata.selfLink
        resourceVersion = metadata.resourceVersion.flatMap { UInt64($0) }
        annotations = metadata.annotations
    }

    /// The v1 metadata of these inline fields plus the top-level `labels`.
    ///
    /// An empty namespace stays nil, so the server can fill in the one the request addresses
    /// (`?namespace=`, else `default`); a cluster-scoped kind drops it.
    public func objectMeta(labels: [String: String]?, namespaced: Bool) -> ObjectMeta {
        var meta = ObjectMeta(
            name: id, generateName: generateName,
            namespace: namespaced && !(namespace ?? "").isEmpty ? namespace : nil,
            labels: labels, annotations: annotations)
        meta.uid = uid
        meta.creationTimestamp = creationTimestamp
        meta.selfLink = selfLink
        meta.resourceVersion = resourceVersion.map { String($0) }
        return meta
    }
}
