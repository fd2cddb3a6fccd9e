#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OrcaText

/// A field selector, as `?fieldSelector=spec.nodeName=minion-1` carries it: comma-separated
/// `field=value`, `field==value` or `field!=value` terms, all of which must hold.
///
/// Fields are those an ``APIObject`` answers in `fieldValue(_:)`; ``validate(for:)`` rejects others.
/// A value may be empty (`spec.nodeName=` selects unscheduled pods); `\,`, `\=` and `\\` escape
/// those characters in values, as in Kubernetes.
public struct FieldSelector: Sendable, Hashable, CustomStringConvertible {
    public struct Requirement: Sendable, Hashable, Comparable, CustomStringConvertible {
        public let field: String
        /// `=` or `!=`.
        public let negated: Bool
        public let value: String

        public init(field: String, value: String, negated: Bool = false) {
            self.field = field
            self.value = value
            self.negated = negated
        }

        public func matches(_ actual: String?) -> Bool {
            guard let actual else { return false }
            return (actual == value) != negated
        }

        public var description: String { "\(field)\(negated ? "!=" : "=")\(FieldSelector.escape(value))" }

        public static func < (a: Requirement, b: Requirement) -> Bool {
            (a.field, a.negated ? 1 : 0, a.value) < (b.field, b.negated ? 1 : 0, b.value)
        }
    }

    /// The terms, sorted by field, each once.
    public let requirements: [Requirement]

    public static let everything = FieldSelector(requirements: [])

    public init(requirements: [Requirement]) {
        self.requirements = Set(requirements).sorted()
    }

    /// Every field in `equality` must have that value.
    public init(_ equality: [String: String]) {
        self.init(requirements: equality.map { Requirement(field: $0.key, value: $0.value) })
    }

    /// Parses selector text; malformed text is a 400 Bad Request. Empty text matches everything.
    public init(parsing text: String) throws(APIError) {
        var requirements: [Requirement] = []
        for term in try FieldSelector.splitTerms(text) {
            let trimmed = term.trimmingWhitespace()
            guard !trimmed.isEmpty else {
                if text.trimmingWhitespace().isEmpty { break }
                throw .badRequest("invalid field selector \"\(text)\": empty term")
            }
            requirements.append(try FieldSelector.parseTerm(trimmed, in: text))
        }
        self.init(requirements: requirements)
    }

    /// Parses `text` and checks that `type` has every field it names (see ``validate(for:)``).
    public init<T: APIObject>(parsing text: String, for type: T.Type) throws(APIError) {
        try self.init(parsing: text)
        try validate(for: type)
    }

    public var isEmpty: Bool { requirements.isEmpty }

    /// Whether `object` satisfies every term; a field the kind does not have never matches.
    public func matches<T: APIObject>(_ object: T) -> Bool {
        requirements.allSatisfy { $0.matches(object.fieldValue($0.field)) }
    }

    /// Throws 400 `field label not supported: X` when `type` has no field X for selectors.
    ///
    /// The fields a kind supports are exactly those its `fieldValue(_:)` answers (one place per kind),
    /// asked of an empty object of the kind.
    public func validate<T: APIObject>(for type: T.Type) throws(APIError) {
        guard !requirements.isEmpty else { return }
        let blank: T
        do {
            blank = try JSONDecoder().decode(T.self, from: Data(#"{"metadata":{}}"#.utf8))
        } catch {
            throw APIError(.internalError, "cannot list the selectable fields of \(T.kind): \(error)")
        }
        for requirement in requirements where blank.fieldValue(requirement.field) == nil {
            throw .badRequest("field label not supported: \(requirement.field)")
        }
    }

    /// The value the selector demands for `field` with an `=` term (`spec.nodeName=m1` -> `m1`), if any;
    /// lets a store or cache narrow a list before matching.
    public func requiredValue(for field: String) -> String? {
        requirements.first { $0.field == field && !$0.negated }?.value
    }

    /// Canonical text, which parses back to an equal selector.
    public var description: String { requirements.map(\.description).joined(separator: ",") }

    // MARK: Parsing

    /// Splits at commas that are not escaped, keeping escapes for `unescape`.
    private static func splitTerms(_ text: String) throws(APIError) -> [String] {
        var terms: [String] = []
        var current = ""
        var escaping = false
        for c in text {
            if escaping {
                current.append(c)
                escaping = false
            } else if c == "\\" {
                current.append(c)
                escaping = true
            } else if c == "," {
                terms.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        if escaping { throw .badRequest("invalid field selector \"\(text)\": it ends with an unfinished escape '\\'") }
        terms.append(current)
        return terms
    }

    /// `field=value`, `field==value` or `field!=value`; the first unescaped operator splits the term.
    private static func parseTerm(_ term: String, in text: String) throws(APIError) -> Requirement {
        let chars = Array(term)
        var i = 0
        while i < chars.count {
            if chars[i] == "\\" {
                i += 2
                continue
            }
            let negated: Bool
            let length: Int
            if chars[i] == "!" && i + 1 < chars.count && chars[i + 1] == "=" {
                (negated, length) = (true, 2)
            } else if chars[i] == "=" {
                (negated, length) = (false, i + 1 < chars.count && chars[i + 1] == "=" ? 2 : 1)
            } else {
                i += 1
                continue
            }
            let field = String(chars[..<i]).trimmingWhitespace()
            let rawValue = String(chars[(i + length)...]).trimmingWhitespace()
            guard !field.isEmpty else {
                let op = negated ? "!=" : "="
                throw .badRequest("invalid field selector \"\(text)\": a field name is required before '\(op)'")
            }
            return Requirement(field: field, value: try unescape(rawValue, in: text), negated: negated)
        }
        throw .badRequest("invalid field selector \"\(text)\": \"\(term)\" has no '=', '==' or '!='")
    }

    /// Resolves `\\`, `\,` and `\=`; an unescaped '=' or ',' in a value is an error, as in Kubernetes.
    private static func unescape(_ value: String, in text: String) throws(APIError) -> String {
        var out = ""
        var escaping = false
        for c in value {
            if escaping {
                guard c == "\\" || c == "," || c == "=" else {
                    throw .badRequest("invalid field selector \"\(text)\": invalid escape sequence '\\\(c)'")
                }
                out.append(c)
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else if c == "=" || c == "," {
                throw .badRequest("invalid field selector \"\(text)\": unescaped '\(c)' in value \"\(value)\"")
            } else {
                out.append(c)
            }
        }
        return out
    }

    static func escape(_ value: String) -> String {
        var out = ""
        for c in value {
            if c == "\\" || c == "," || c == "=" { out.append("\\") }
            out.append(c)
        }
        return out
    }
}
