extension V1Beta1.Status {
    /// The v1beta1 form of a v1 `Status`: `details.name` becomes `details.id`, and cause fields
    /// (and the paths quoted in `message`) take their v1beta1 names.
    ///
    /// `kind` selects the field-name mapping; by default it is `details.kind`.
    public init(_ status: Status, kind: String? = nil) {
        let kind = kind ?? status.details?.kind
        var message = status.message
        var details: V1Beta1.StatusDetails?
        if let d = status.details {
            let causes = d.causes?.map { cause in
                var out = cause
                out.field = cause.field.map { V1Beta1.fieldPath(fromV1: $0, kind: kind) }
                return out
            }
            for (old, new) in zip(d.causes ?? [], causes ?? []) {
                if let from = old.field, let to = new.field, from != to {
                    message = message.map { StatusPaths.replace(from, with: to, in: $0) }
                }
            }
            details = V1Beta1.StatusDetails(id: d.name, kind: d.kind.map(StatusPaths.v1beta1Kind), causes: causes)
        }
        self.init(status: status.status, message: message, reason: status.reason, details: details,
                  code: status.code)
    }
}

extension Status {
    /// The v1 form of a v1beta1 `Status`, the inverse of ``V1Beta1/Status/init(_:kind:)``.
    public init(v1beta1 status: V1Beta1.Status, kind: String? = nil) {
        let kind = kind ?? status.details?.kind
        var message = status.message
        var details: StatusDetails?
        if let d = status.details {
            let causes = d.causes?.map { cause in
                var out = cause
                out.field = cause.field.map { V1Beta1.v1FieldPath(fromV1Beta1: $0, kind: kind) }
                return out
            }
            for (old, new) in zip(d.causes ?? [], causes ?? []) {
                if let from = old.field, let to = new.field, from != to {
                    message = message.map { StatusPaths.replace(from, with: to, in: $0) }
                }
            }
            details = StatusDetails(name: d.id, kind: d.kind.map(StatusPaths.v1Kind), causes: causes)
        }
        self.init(status: status.status, message: message, reason: status.reason, details: details,
                  code: status.code)
    }

    /// This status in v1beta1 shape.
    public var v1beta1: V1Beta1.Status { V1Beta1.Status(self) }
}

extension APIError {
    /// The v1beta1 `Status` body for this error (what `/api/v1beta1` answers).
    public var v1beta1Status: V1Beta1.Status { V1Beta1.Status(status) }

    /// Rebuilds the error a v1beta1 server sent; `httpCode` fills in when the body has no code.
    public init(v1beta1Status status: V1Beta1.Status, httpCode: Int) {
        self.init(status: Status(v1beta1: status), httpCode: httpCode)
    }
}

enum StatusPaths {
    /// Replaces `from: ` where it starts an entry of a message (`[a: x, b: y]`), not inside a longer path.
    static func replace(_ from: String, with to: String, in message: String) -> String {
        let needle = "\(from): "
        var out = ""
        var rest = message[...]
        while let range = rest.firstRange(of: needle) {
            let before = range.lowerBound == rest.startIndex
                ? out.last : rest[rest.index(before: range.lowerBound)]
            let atBoundary = before == nil || before == "[" || before == " "
            out += rest[..<range.lowerBound]
            out += atBoundary ? "\(to): " : needle
            rest = rest[range.upperBound...]
        }
        return out + rest
    }

    static func v1beta1Kind(_ kind: String) -> String {
        switch kind {
        case "Node": "Minion"
        case "nodes": "minions"
        case "replicationcontrollers": "replicationControllers"
        default: kind
        }
    }

    static func v1Kind(_ kind: String) -> String {
        switch kind {
        case "Minion": "Node"
        case "minions": "nodes"
        case "replicationControllers": "replicationcontrollers"
        default: kind
        }
    }
}
