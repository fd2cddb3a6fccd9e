/// A record of something that happened to an object ("0/2 minions: 2 hostPort 8080 in use").
public struct Event: APIObject {
    public static let kind = "Event"
    public static let resource = "events"
    public static let namespaced = true
    public static let shortNames = ["ev"]

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var involvedObject: ObjectReference
    public var reason: String?
    public var message: String?
    public var source: EventSource?
    public var firstTimestamp: Timestamp?
    public var lastTimestamp: Timestamp?
    public var count: Int?
    /// `Normal` or `Warning`.
    public var type: String?

    public init(metadata: ObjectMeta = ObjectMeta(), involvedObject: ObjectReference, reason: String?,
                message: String?, source: EventSource? = nil, type: String? = "Normal") {
        self.apiVersion = "v1"
        self.kind = Event.kind
        self.metadata = metadata
        self.involvedObject = involvedObject
        self.reason = reason
        self.message = message
        self.source = source
        self.type = type
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion, kind, metadata, involvedObject, reason, message, source, firstTimestamp, lastTimestamp
        case count, type
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try c.decodeIfPresent(String.self, forKey: .kind)
        metadata = try c.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        involvedObject = try c.decodeIfPresent(ObjectReference.self, forKey: .involvedObject) ?? ObjectReference()
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        message = try c.decodeIfPresent(String.self, forKey: .message)
        source = try c.decodeIfPresent(EventSource.self, forKey: .source)
        firstTimestamp = try c.decodeIfPresent(Timestamp.self, forKey: .firstTimestamp)
        lastTimestamp = try c.decodeIfPresent(Timestamp.self, forKey: .lastTimestamp)
        count = try c.decodeIfPresent(Int.self, forKey: .count)
        type = try c.decodeIfPresent(String.self, forKey: .type)
    }

    public func fieldValue(_ field: String) -> String? {
        switch field {
        case "involvedObject.kind": involvedObject.kind ?? ""
        case "involvedObject.name": involvedObject.name ?? ""
        case "involvedObject.namespace": involvedObject.namespace ?? ""
        case "involvedObject.uid": involvedObject.uid ?? ""
        case "reason": reason ?? ""
        case "type": type ?? ""
        default: metadata.fieldValue(field)
        }
    }
}

public struct EventSource: Codable, Sendable, Equatable {
    public var component: String?
    public var host: String?

    public init(component: String? = nil, host: String? = nil) {
        self.component = component
        self.host = host
    }
}
