extension V1Beta1 {
    /// The addresses behind a service, flattened to `"ip:port"` text (v1 groups them in subsets).
    public struct Endpoints: V1Beta1.Object {
        public var typeMeta: TypeMeta
        public var endpoints: [String]?

        public init(typeMeta: TypeMeta = TypeMeta(kind: "Endpoints"), endpoints: [String]? = nil) {
            self.typeMeta = typeMeta
            self.endpoints = endpoints
        }

        enum CodingKeys: String, CodingKey { case endpoints }

        public init(from decoder: any Decoder) throws {
            typeMeta = try TypeMeta(from: decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            endpoints = try c.decodeIfPresent([String].self, forKey: .endpoints)
        }

        public func encode(to encoder: any Encoder) throws {
            try typeMeta.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(endpoints, forKey: .endpoints)
        }
    }
}
