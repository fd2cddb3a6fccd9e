/// One problem with one field, with its path (`spec.containers[0].image`), as Kubernetes'
/// `field.Error`. Validation returns all of them, never only the first.
public struct FieldError: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case required = "FieldValueRequired"
        case invalid = "FieldValueInvalid"
        case duplicate = "FieldValueDuplicate"
        case notSupported = "FieldValueNotSupported"
        case forbidden = "FieldValueForbidden"
        case tooLong = "FieldValueTooLong"
        case notFound = "FieldValueNotFound"
    }

    public var kind: Kind
    public var field: String
    public var message: String

    public init(_ kind: Kind, _ field: FieldPath, _ message: String) {
        self.kind = kind
        self.field = field.description
        self.message = message
    }

    public static func required(_ field: FieldPath, _ message: String = "Required value") -> FieldError {
        FieldError(.required, field, message)
    }

    public static func invalid(_ field: FieldPath, _ value: String, _ why: String) -> FieldError {
        FieldError(.invalid, field, "Invalid value: \"\(value)\": \(why)")
    }

    public static func duplicate(_ field: FieldPath, _ value: String) -> FieldError {
        FieldError(.duplicate, field, "Duplicate value: \"\(value)\"")
    }

    public static func notSupported(_ field: FieldPath, _ value: String, _ supported: [String]) -> FieldError {
        let list = supported.map { "\"\($0)\"" }.joined(separator: ", ")
        return FieldError(.notSupported, field, "Unsupported value: \"\(value)\": supported values: \(list)")
    }

    public static func forbidden(_ field: FieldPath, _ why: String) -> FieldError {
        FieldError(.forbidden, field, "Forbidden: \(why)")
    }

    /// `spec.containers[0].volumeMounts[0].name: Not found: "data"`.
    public static func notFound(_ field: FieldPath, _ value: String) -> FieldError {
        FieldError(.notFound, field, "Not found: \"\(value)\"")
    }

    public static func tooLong(_ field: FieldPath, _ maxLength: Int) -> FieldError {
        FieldError(.tooLong, field, "Too long: must have at most \(maxLength) bytes")
    }

    public var description: String { "\(field): \(message)" }

    public var cause: StatusCause { StatusCause(reason: kind.rawValue, message: message, field: field) }
}

/// A path to a field, built as validation descends: `FieldPath("spec").child("containers").index(0)`.
public struct FieldPath: Sendable, Equatable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let description: String

    public init(_ root: String) { description = root }
    public init(stringLiteral value: String) { description = value }

    public func child(_ name: String) -> FieldPath {
        FieldPath(description.isEmpty ? name : "\(description).\(name)")
    }

    public func index(_ i: Int) -> FieldPath { FieldPath("\(description)[\(i)]") }

    public func key(_ k: String) -> FieldPath { FieldPath("\(description)[\(k)]") }
}
