extension Event: V1Beta1Convertible {
    public static let v1beta1Resource = "events"
    public static let v1beta1Kind = "Event"

    /// `source` is the reporting component, `timestamp` the first and last time it happened;
    /// `status` is kept only when it is a v1 type (`Normal`, `Warning`).
    public init(v1beta1 event: V1Beta1.Event) throws(APIError) {
        let meta = event.typeMeta.objectMeta(labels: nil, namespaced: true)
        let source = event.source == nil && event.host == nil
            ? nil : EventSource(component: event.source, host: event.host)
        let type = event.status.flatMap { $0 == "Normal" || $0 == "Warning" ? $0 : nil }
        self.init(metadata: meta, involvedObject: event.involvedObject ?? ObjectReference(), reason: event.reason,
                  message: event.message, source: source, type: type)
        firstTimestamp = event.timestamp
        lastTimestamp = event.timestamp
    }

    public var v1beta1: V1Beta1.Event {
        var out = V1Beta1.Event(
            typeMeta: V1Beta1.TypeMeta(kind: Event.v1beta1Kind, metadata: metadata), involvedObject: involvedObject,
            status: type, reason: reason, message: message, source: source?.component,
            timestamp: lastTimestamp ?? firstTimestamp)
        out.host = source?.host
        return out
    }
}
