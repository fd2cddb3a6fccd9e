/// Binds a pod to a minion: `POST .../pods/{name}/binding` with `target.name` = the minion.
public struct Binding: Codable, Sendable, Equatable {
    public var apiVersion: String? = "v1"
    public var kind: String? = "Binding"
    public var metadata: ObjectMeta
    public var target: ObjectReference

    public init(metadata: ObjectMeta, target: ObjectReference) {
        self.metadata = metadata
        self.target = target
    }

    enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, target }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try c.decodeIfPresent(String.self, forKey: .kind)
        metadata = try c.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        target = try c.decodeIfPresent(ObjectReference.self, forKey: .target) ?? ObjectReference()
    }
}
