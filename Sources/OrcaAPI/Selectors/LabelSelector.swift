/// A label selector, as `?labelSelector=` (v1) and `?labels=` (v1beta1) carry it and as `kubecfg -l` takes it.
///
/// Text is comma-separated requirements, all of which must hold:
/// `name=jenkins`, `name==jenkins`, `tier!=db`, `env in (prod,staging)`, `env notin (dev)`,
/// `release` (the label exists), `!release` (it does not). An empty selector matches everything.
/// Requirements are kept sorted, so equal selectors compare equal and print the same canonical text.
public struct LabelSelector: Sendable, Hashable, CustomStringConvertible {
    public enum Operator: Int, Sendable, Hashable, Comparable {
        case equals, notEquals, `in`, notIn, exists, doesNotExist

        public static func < (a: Operator, b: Operator) -> Bool { a.rawValue < b.rawValue }
    }

    /// One condition on one label.
    public struct Requirement: Sendable, Hashable, Comparable, CustomStringConvertible {
        public let key: String
        public let `operator`: Operator
        /// Sorted and without repeats: one value for `=`/`!=`, at least one for `in`/`notin`, none otherwise.
        public let values: [String]

        /// A requirement with a valid key (a qualified name) and valid label values.
        public init(key: String, operator op: Operator, values: [String] = []) throws(APIError) {
            let problems = Requirement.problems(key: key, op, values)
            if !problems.isEmpty {
                throw .badRequest("invalid label selector requirement: " + problems.joined(separator: "; "))
            }
            self.init(unchecked: key, op, values)
        }

        static func problems(key: String, _ op: Operator, _ values: [String]) -> [String] {
            var problems = Validation.qualifiedNameErrors(key).map { "key \"\(key)\": \($0)" }
            for value in values {
                problems += Validation.labelValueErrors(value).map { "value \"\(value)\": \($0)" }
            }
            switch op {
            case .equals, .notEquals:
                if values.count != 1 { problems.append("exactly one value is required for '=', '==' and '!='") }
            case .in, .notIn:
                if values.isEmpty { problems.append("for 'in', 'notin' operators, values set can't be empty") }
            case .exists, .doesNotExist:
                if !values.isEmpty {
                    problems.append("values must be empty for exists and does-not-exist requirements")
                }
            }
            return problems
        }

        init(unchecked key: String, _ op: Operator, _ values: [String]) {
            self.key = key
            self.operator = op
            self.values = Array(Set(values)).sorted()
        }

        /// Whether `labels` satisfy this requirement (`!=` and `notin` hold when the label is absent).
        public func matches(_ labels: [String: String]) -> Bool {
            let value = labels[key]
            switch self.operator {
            case .equals, .in: return value.map(values.contains) ?? false
            case .notEquals, .notIn: return !(value.map(values.contains) ?? false)
            case .exists: return value != nil
            case .doesNotExist: return value == nil
            }
        }

        public var description: String {
            switch self.operator {
            case .equals: "\(key)=\(values.first ?? "")"
            case .notEquals: "\(key)!=\(values.first ?? "")"
            case .in: "\(key) in (\(values.joined(separator: ",")))"
            case .notIn: "\(key) notin (\(values.joined(separator: ",")))"
            case .exists: key
            case .doesNotExist: "!\(key)"
            }
        }

        public static func < (a: Requirement, b: Requirement) -> Bool {
            (a.key, a.operator, a.values.joined(separator: ",")) < (b.key, b.operator, b.values.joined(separator: ","))
        }
    }

    /// The requirements, sorted by key, each once.
    public let requirements: [Requirement]

    /// The selector that matches every set of labels.
    public static let everything = LabelSelector(requirements: [])

    public init(requirements: [Requirement]) {
        self.requirements = Set(requirements).sorted()
    }

    /// The selector an RC or service keeps as a map: every label in `equality` must have that value.
    ///
    /// The map is not checked (it comes from a validated object); `[:]` matches everything.
    public init(_ equality: [String: String]) {
        self.init(requirements: equality.map { Requirement(unchecked: $0.key, .equals, [$0.value]) })
    }

    /// Parses selector text; malformed text or an invalid key or value is a 400 Bad Request naming
    /// the problem. Empty or blank text is the selector that matches everything.
    public init(parsing text: String) throws(APIError) {
        var parser = LabelSelectorParser(text: text)
        self.init(requirements: try parser.parse())
    }

    public var isEmpty: Bool { requirements.isEmpty }

    /// Whether `labels` (nil: no labels) satisfy every requirement.
    public func matches(_ labels: [String: String]?) -> Bool {
        let labels = labels ?? [:]
        return requirements.allSatisfy { $0.matches(labels) }
    }

    /// Canonical text, which parses back to an equal selector: `component=apiserver,provider=kubernetes`.
    public var description: String { requirements.map(\.description).joined(separator: ",") }

    /// A label map as kubecfg prints labels and selectors: `component=apiserver,provider=kubernetes`
    /// (keys sorted, comma-separated); `""` for nil or no labels.
    public static func format(_ labels: [String: String]?) -> String {
        LabelSelector(labels ?? [:]).description
    }

    /// The label map of a selector made only of `=` requirements on distinct keys (what RCs and
    /// services store), or nil when it uses anything else.
    public var equalityMap: [String: String]? {
        var map: [String: String] = [:]
        for requirement in requirements {
            guard requirement.operator == .equals, let value = requirement.values.first,
                  map.updateValue(value, forKey: requirement.key) == nil else { return nil }
        }
        return map
    }
}

/// A hand-written scanner and recursive-descent parser for selector text; errors name the position.
struct LabelSelectorParser {
    private enum Token: Equatable {
        case word(String)
        case equals, doubleEquals, notEquals, bang, openParen, closeParen, comma, end

        var text: String {
            switch self {
            case .word(let w): "'\(w)'"
            case .equals: "'='"
            case .doubleEquals: "'=='"
            case .notEquals: "'!='"
            case .bang: "'!'"
            case .openParen: "'('"
            case .closeParen: "')'"
            case .comma: "','"
            case .end: "end of selector"
            }
        }
    }

    private let text: String
    private let characters: [Character]
    private var position = 0
    /// Where the last token read began (1-based, for messages).
    private var tokenStart = 0

    init(text: String) {
        self.text = text
        self.characters = Array(text)
    }

    mutating func parse() throws(APIError) -> [LabelSelector.Requirement] {
        var requirements: [LabelSelector.Requirement] = []
        if peek() == .end { return [] }
        while true {
            requirements.append(try requirement())
            switch next() {
            case .end: return requirements
            case .comma: continue
            case let token: throw failure("expected ',' or end of selector, found \(token.text)")
            }
        }
    }

    private mutating func requirement() throws(APIError) -> LabelSelector.Requirement {
        let first = next()
        if first == .bang {
            return try make(key: try key(), .doesNotExist, [])
        }
        guard case .word(let key) = first else {
            throw failure("expected a label key or '!', found \(first.text)")
        }
        switch peek() {
        case .end, .comma:
            return try make(key: key, .exists, [])
        case .equals, .doubleEquals:
            _ = next()
            return try make(key: key, .equals, [try exactValue()])
        case .notEquals:
            _ = next()
            return try make(key: key, .notEquals, [try exactValue()])
        case .word("in"):
            _ = next()
            return try make(key: key, .in, try valueSet())
        case .word("notin"):
            _ = next()
            return try make(key: key, .notIn, try valueSet())
        case let token:
            _ = next()
            throw failure("expected '=', '==', '!=', 'in', 'notin', ',' or end of selector after key '\(key)', "
                + "found \(token.text)")
        }
    }

    private mutating func key() throws(APIError) -> String {
        let token = next()
        guard case .word(let key) = token else { throw failure("expected a label key after '!', found \(token.text)") }
        return key
    }

    /// The value after `=`, `==` or `!=`; nothing before ',' or the end is the empty value.
    private mutating func exactValue() throws(APIError) -> String {
        switch peek() {
        case .end, .comma: return ""
        case .word(let value):
            _ = next()
            return value
        case let token:
            _ = next()
            throw failure("expected a value, found \(token.text)")
        }
    }

    /// `(a,b)`; an item left empty is the empty value, as Kubernetes reads it: `(a,)` is {"", "a"}
    /// and `()` is {""} (which is also how the set {""} prints).
    private mutating func valueSet() throws(APIError) -> [String] {
        let open = next()
        guard open == .openParen else { throw failure("expected '(' to start the set of values, found \(open.text)") }
        var values: [String] = []
        while true {
            switch peek() {
            case .word(let value):
                _ = next()
                values.append(value)
            case .comma, .closeParen:
                values.append("")
            case let token:
                _ = next()
                throw failure("expected a value, ',' or ')', found \(token.text)")
            }
            let token = next()
            switch token {
            case .comma: continue
            case .closeParen: return values
            default: throw failure("expected ',' or ')' in the set of values, found \(token.text)")
            }
        }
    }

    private func make(
        key: String, _ op: LabelSelector.Operator, _ values: [String]
    ) throws(APIError) -> LabelSelector.Requirement {
        let problems = LabelSelector.Requirement.problems(key: key, op, values)
        guard problems.isEmpty else {
            throw .badRequest("unable to parse label selector \"\(text)\": " + problems.joined(separator: "; "))
        }
        return LabelSelector.Requirement(unchecked: key, op, values)
    }

    private func failure(_ message: String) -> APIError {
        .badRequest("unable to parse label selector \"\(text)\" at position \(tokenStart): \(message)")
    }

    private mutating func peek() -> Token {
        let saved = (position, tokenStart)
        let token = next()
        (position, tokenStart) = saved
        return token
    }

    private mutating func next() -> Token {
        while position < characters.count && characters[position].isWhitespace { position += 1 }
        tokenStart = position + 1
        guard position < characters.count else { return .end }
        let c = characters[position]
        position += 1
        let following: Character? = position < characters.count ? characters[position] : nil
        switch c {
        case "=":
            if following == "=" {
                position += 1
                return .doubleEquals
            }
            return .equals
        case "!":
            if following == "=" {
                position += 1
                return .notEquals
            }
            return .bang
        case "(": return .openParen
        case ")": return .closeParen
        case ",": return .comma
        default:
            var word = String(c)
            while position < characters.count && !Self.isSpecial(characters[position]) {
                word.append(characters[position])
                position += 1
            }
            return .word(word)
        }
    }

    private static func isSpecial(_ c: Character) -> Bool {
        c.isWhitespace || c == "=" || c == "!" || c == "(" || c == ")" || c == ","
    }
}
