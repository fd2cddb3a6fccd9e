extension V1Beta1 {
    /// Something that happened to an object.
    public struct Event: V1Beta1.Object {
        public var typeMeta: TypeMeta
        public var involvedObject: ObjectReference?
        /// v1 `type` (`Normal` or `Warning`); other text is dropped on input, as v1 has no place for it.
        public var status: String?
        public var reason: String?
        public var message: String?
        /// The component that reported it (v1 `source.component`).
        public var source: String?
        /// The minion it was reported from (v1 `source.host`).
        public var host: String?
        /// When it last happened (v1 `lastTimestamp`).
        public var timestamp: Timestamp?

        public init(typeMeta: TypeMeta = TypeMeta(kind: "Event"), involvedObject: ObjectReference? = nil,
                    status: String? = nil, reason: String? = nil, message: String? = nil, source: String? = nil,
                    timestamp: Timestamp? = nil) {
            self.typeMeta = typeMeta
            self.involvedObject = involvedObject
            self.status = status
            self.reason = reason
            self.message = message
            self.source = source
            self.timestamp = timestamp
        }

        enum CodingKeys: String, CodingKey { case involvedObject, status, reason, message, source, host, timestamp }

        public init(from decoder: any Decoder) throws {
            typeMeta = try TypeMeta(from: decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            involvedObject = try c.decodeIfPresent(ObjectReference.self, forKey: .involvedObject)
            status = try c.decodeIfPresent(String.self, forKey: .status)
            reason = try c.decodeIfPresent(String.self, forKey: .reason)
            message = try c.decodeIfPresent(String.self, forKey: .message)
            source = try c.decodeIfPresent(String.self, forKey: .source)
            host = try c.decodeIfPresent(String.self, forKey: .host)
            timestamp = try c.decodeIfPresent(Timestamp.self, forKey: .timestamp)
        }

        public func encode(to encoder: any Encoder) throws {
            try typeMeta.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(involvedObject, forKey: .involvedObject)
            try c.encodeIfPresent(status, forKey: .status)
            try c.encodeIfPresent(reason, forKey: .reason)
            try c.encodeIfPresent(message, forKey: .message)
            try c.encodeIfPresent(source, forKey: .source)
            try c.encodeIfPresent(host, forKey: .host)
            try c.encodeIfPresent(timestamp, forKey: .timestamp)
        }
    }
}
