/// The closed vocabulary of API errors, mapped to HTTP in one place (``code``) and decoded
/// back from a `Status` by the client, so callers match on cases, never on messages.
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: String, Sendable, Equatable {
        case badRequest = "BadRequest"
        case notFound = "NotFound"
        case alreadyExists = "AlreadyExists"
        case conflict = "Conflict"
        case invalid = "Invalid"
        case gone = "Expired"
        case forbidden = "Forbidden"
        case methodNotAllowed = "MethodNotAllowed"
        case tooLarge = "RequestEntityTooLarge"
        case unsupportedMediaType = "UnsupportedMediaType"
        case unavailable = "ServiceUnavailable"
        case timeout = "Timeout"
        case internalError = "InternalError"
        case unknown = ""
    }

    public var reason: Reason
    public var message: String
    public var details: StatusDetails?
    /// The HTTP code; fixed by `reason` except for `unknown`, where it is what the server said.
    public var code: Int

    public init(_ reason: Reason, _ message: String, details: StatusDetails? = nil, code: Int? = nil) {
        self.reason = reason
        self.message = message
        self.details = details
        self.code = code ?? APIError.httpCode(for: reason)
    }

    public static func httpCode(for reason: Reason) -> Int {
        switch reason {
        case .badRequest: 400
        case .notFound: 404
        case .alreadyExists, .conflict: 409
        case .invalid: 422
        case .gone: 410
        case .forbidden: 403
        case .methodNotAllowed: 405
        case .tooLarge: 413
        case .unsupportedMediaType: 415
        case .unavailable: 503
        case .timeout: 504
        case .internalError, .unknown: 500
        }
    }

    public var description: String { message }

    /// The `Status` body sent for this error.
    public var status: Status {
        Status(status: "Failure", message: message, reason: reason.rawValue, details: details, code: code)
    }

    /// Rebuilds the error a server sent; `httpCode` fills in when the body is not a Status.
    public init(status: Status, httpCode: Int) {
        let reason = Reason(rawValue: status.reason ?? "") ?? .unknown
        self.init(reason, status.message ?? "the server answered \(httpCode)", details: status.details,
                  code: reason == .unknown ? (status.code ?? httpCode) : nil)
    }

    // MARK: Builders that word messages as Kubernetes does.

    public static func notFound(_ resource: String, _ name: String) -> APIError {
        APIError(.notFound, "\(resource) \"\(name)\" not found", details: StatusDetails(name: name, kind: resource))
    }

    public static func alreadyExists(_ resource: String, _ name: String) -> APIError {
        APIError(.alreadyExists, "\(resource) \"\(name)\" already exists",
                 details: StatusDetails(name: name, kind: resource))
    }

    public static func conflict(_ resource: String, _ name: String, _ why: String) -> APIError {
        APIError(.conflict, "Operation cannot be fulfilled on \(resource) \"\(name)\": \(why)",
                 details: StatusDetails(name: name, kind: resource))
    }

    /// 422 with every field error as a cause; the message lists them all.
    public static func invalid(kind: String, name: String, _ errors: [FieldError]) -> APIError {
        let list = errors.map(\.description).joined(separator: ", ")
        return APIError(
            .invalid, "\(kind) \"\(name)\" is invalid: [\(list)]",
            details: StatusDetails(name: name, kind: kind, causes: errors.map(\.cause)))
    }

    public static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }
}
