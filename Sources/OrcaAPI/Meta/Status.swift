/// The result of a request that returns no object, and the body of every error (`kind: Status`).
public struct Status: Codable, Sendable, Equatable {
    public var apiVersion: String? = "v1"
    public var kind: String? = "Status"
    public var metadata: ListMeta? = ListMeta()
    /// `Success` or `Failure`.
    public var status: String?
    public var message: String?
    /// A machine-readable reason: `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, ...
    public var reason: String?
    public var details: StatusDetails?
    public var code: Int?

    public init(status: String?, message: String?, reason: String?, details: StatusDetails?, code: Int?) {
        self.status = status
        self.message = message
        self.reason = reason
        self.details = details
        self.code = code
    }

    public static func success(code: Int = 200) -> Status {
        Status(status: "Success", message: nil, reason: nil, details: nil, code: code)
    }
}

public struct StatusDetails: Codable, Sendable, Equatable {
    public var name: String?
    public var group: String?
    public var kind: String?
    public var uid: String?
    public var causes: [StatusCause]?
    public var retryAfterSeconds: Int?

    public init(name: String? = nil, kind: String? = nil, causes: [StatusCause]? = nil) {
        self.name = name
        self.kind = kind
        self.causes = causes
    }
}

/// One cause of a failure; for `Invalid`, one per field error.
public struct StatusCause: Codable, Sendable, Equatable {
    public var reason: String?
    public var message: String?
    public var field: String?

    public init(reason: String?, message: String?, field: String?) {
        self.reason = reason
        self.message = message
        self.field = field
    }
}
