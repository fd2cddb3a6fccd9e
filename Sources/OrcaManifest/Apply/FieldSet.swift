import Foundation

/// A set of field paths: what a manager owns in `metadata.managedFields`, and what changed
/// between two versions of an object (structured-merge-diff's `fieldpath.Set`).
///
/// A path is a member when the field itself is in the set; a field can also have children (its
/// own members) without being a member, as a struct usually does. Value semantics; iteration
/// order (``paths``) is Kubernetes': a node's members, sorted, before its children, sorted.
public struct FieldSet: Sendable, Hashable {
    public internal(set) var members: Set<PathElement> = []
    /// Never holds an empty set.
    public internal(set) var children: [PathElement: FieldSet] = [:]

    public init() {}

    public init(_ paths: [FieldPath]) {
        for path in paths { insert(path) }
    }

    public var isEmpty: Bool { members.isEmpty && children.isEmpty }

    public mutating func insert(_ path: FieldPath) {
        insert(path.elements[...])
    }

    private mutating func insert(_ elements: ArraySlice<PathElement>) {
        guard let first = elements.first else { return }
        if elements.count == 1 {
            members.insert(first)
        } else {
            children[first, default: FieldSet()].insert(elements.dropFirst())
        }
    }

    public func contains(_ path: FieldPath) -> Bool {
        var set = self
        for (i, element) in path.elements.enumerated() {
            if i == path.elements.count - 1 { return set.members.contains(element) }
            guard let child = set.children[element] else { return false }
            set = child
        }
        return false
    }

    /// The paths below `element` (structured-merge-diff's `WithPrefix`).
    public func child(_ element: PathElement) -> FieldSet? { children[element] }

    public func union(_ other: FieldSet) -> FieldSet {
        var out = self
        out.members.formUnion(other.members)
        for (element, set) in other.children {
            out.children[element] = out.children[element].map { $0.union(set) } ?? set
        }
        return out
    }

    public func intersection(_ other: FieldSet) -> FieldSet {
        var out = FieldSet()
        out.members = members.intersection(other.members)
        for (element, set) in children {
            guard let theirs = other.children[element] else { continue }
            let both = set.intersection(theirs)
            if !both.isEmpty { out.children[element] = both }
        }
        return out
    }

    /// The paths of this set that are not in `other`; children of a member of `other` stay.
    public func subtracting(_ other: FieldSet) -> FieldSet {
        var out = FieldSet()
        out.members = members.subtracting(other.members)
        for (element, set) in children {
            guard let theirs = other.children[element] else {
                out.children[element] = set
                continue
            }
            let rest = set.subtracting(theirs)
            if !rest.isEmpty { out.children[element] = rest }
        }
        return out
    }

    /// The paths of this set neither in `other` nor below one of its members (structured-merge-diff's
    /// `RecursiveDifference`: how ignored fields such as `status` are left out).
    public func removingPrefixes(of other: FieldSet) -> FieldSet {
        var out = FieldSet()
        out.members = members.subtracting(other.members)
        for (element, set) in children where !other.members.contains(element) {
            if let theirs = other.children[element] {
                let rest = set.removingPrefixes(of: theirs)
                if !rest.isEmpty { out.children[element] = rest }
            } else {
                out.children[element] = set
            }
        }
        return out
    }

    /// Every path in the set, in Kubernetes' order.
    public var paths: [FieldPath] {
        var out: [FieldPath] = []
        collect(prefix: [], into: &out)
        return out
    }

    private func collect(prefix: [PathElement], into out: inout [FieldPath]) {
        for member in members.sorted() { out.append(FieldPath(prefix + [member])) }
        for element in children.keys.sorted() {
            children[element]!.collect(prefix: prefix + [element], into: &out)
        }
    }
}

extension FieldSet: CustomStringConvertible {
    /// One path a line, as `.spec.containers[name="web"].image`.
    public var description: String { paths.map(\.description).joined(separator: "\n") }
}

/// A path from an object's root to one of its fields.
public struct FieldPath: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var elements: [PathElement]

    public init(_ elements: [PathElement]) { self.elements = elements }

    /// A path of field names: `FieldPath(fields: "spec", "replicas")`.
    public init(fields names: String...) { elements = names.map(PathElement.field) }

    /// `.spec.containers[name="web"].image`, as Kubernetes writes paths in conflicts.
    public var description: String { elements.map(\.description).joined() }

    public static func < (lhs: FieldPath, rhs: FieldPath) -> Bool {
        lhs.elements.lexicographicallyPrecedes(rhs.elements)
    }
}

/// One step of a ``FieldPath``.
public enum PathElement: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// A member of an object (`f:name` in fieldsV1).
    case field(String)
    /// The element of a map-list with these key fields, sorted by name (`k:{"name":"web"}`).
    case key([KeyField])
    /// The element of a set-list with this value (`v:"finalizer"`).
    case value(FieldValue)
    /// An element of a list by position (`i:0`).
    case index(Int)

    private var rank: Int {
        switch self {
        case .field: 0
        case .key: 1
        case .value: 2
        case .index: 3
        }
    }

    /// Fields before keys before values before indices, each in their own order.
    public static func < (lhs: PathElement, rhs: PathElement) -> Bool {
        switch (lhs, rhs) {
        case (.field(let a), .field(let b)): a.utf8.lexicographicallyPrecedes(b.utf8)
        case (.key(let a), .key(let b)): KeyField.compare(a, b) < 0
        case (.value(let a), .value(let b)): a < b
        case (.index(let a), .index(let b)): a < b
        default: lhs.rank < rhs.rank
        }
    }

    public var description: String {
        switch self {
        case .field(let name): "." + name
        case .key(let fields): "[" + fields.map { "\($0.name)=\($0.value.description)" }.joined(separator: ",") + "]"
        case .value(let value): "[=\(value.description)]"
        case .index(let index): "[\(index)]"
        }
    }
}

/// One key field of a map-list element's ``PathElement/key(_:)``.
public struct KeyField: Sendable, Hashable {
    public var name: String
    public var value: FieldValue

    public init(_ name: String, _ value: FieldValue) {
        self.name = name
        self.value = value
    }

    /// Key lists sorted by name, compared field by field (structured-merge-diff's `FieldList.Compare`).
    static func compare(_ lhs: [KeyField], _ rhs: [KeyField]) -> Int {
        for (a, b) in zip(lhs, rhs) {
            if a.name != b.name { return a.name.utf8.lexicographicallyPrecedes(b.name.utf8) ? -1 : 1 }
            if a.value != b.value { return a.value < b.value ? -1 : 1 }
        }
        return lhs.count == rhs.count ? 0 : (lhs.count < rhs.count ? -1 : 1)
    }
}

/// A JSON value inside a path element: a map-list key or a set-list element.
///
/// Integral numbers are held as `int`, so `80` and `80.0` name the same element.
public indirect enum FieldValue: Sendable, Hashable, Comparable, CustomStringConvertible {
    case int(Int64)
    case double(Double)
    case string(String)
    case bool(Bool)
    case list([FieldValue])
    case map([KeyField])
    case null

    /// The value of a decoded JSON value; nil for something that is not JSON.
    init?(json value: Any) {
        switch JSONValue.kind(value) {
        case .null: self = .null
        case .bool: self = .bool(JSONValue.bool(value)!)
        case .int: self = .int(JSONValue.int(value)!)
        case .double:
            let d = JSONValue.double(value)!
            if d == d.rounded(), abs(d) < 9.2e18 { self = .int(Int64(d)) } else { self = .double(d) }
        case .string: self = .string(value as! String)
        case .array:
            var items: [FieldValue] = []
            for item in value as! [Any] {
                guard let v = FieldValue(json: item) else { return nil }
                items.append(v)
            }
            self = .list(items)
        case .object:
            var fields: [KeyField] = []
            for (key, member) in value as! [String: Any] {
                guard let v = FieldValue(json: member) else { return nil }
                fields.append(KeyField(key, v))
            }
            self = .map(fields.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) })
        }
    }

    /// The value as a JSON value for JSONSerialization.
    var json: Any {
        switch self {
        case .int(let i): Int(i)
        case .double(let d): d
        case .string(let s): s
        case .bool(let b): b
        case .list(let items): items.map(\.json)
        case .map(let fields): Dictionary(fields.map { ($0.name, $0.value.json) }, uniquingKeysWith: { a, _ in a })
        case .null: NSNull()
        }
    }

    /// The value as Go's `encoding/json` writes it (keys sorted, HTML-escaped strings).
    var jsonText: String {
        switch self {
        case .int(let i): String(i)
        case .double(let d): JSONValue.jsonFloat(d)
        case .string(let s): JSONValue.jsonString(s)
        case .bool(let b): b ? "true" : "false"
        case .list(let items): "[" + items.map(\.jsonText).joined(separator: ",") + "]"
        case .map(let fields):
            "{" + fields.map { JSONValue.jsonString($0.name) + ":" + $0.value.jsonText }.joined(separator: ",") + "}"
        case .null: "null"
        }
    }

    private var rank: Int {
        switch self {
        case .int, .double: 0
        case .string: 1
        case .bool: 2
        case .list: 3
        case .map: 4
        case .null: 5
        }
    }

    /// Numbers (by value), then strings, booleans, lists, maps and null (structured-merge-diff's
    /// `value.Compare`).
    public static func < (lhs: FieldValue, rhs: FieldValue) -> Bool {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): a < b
        case (.int(let a), .double(let b)): Double(a) < b
        case (.double(let a), .int(let b)): a < Double(b)
        case (.double(let a), .double(let b)): a < b
        case (.string(let a), .string(let b)): a.utf8.lexicographicallyPrecedes(b.utf8)
        case (.bool(let a), .bool(let b)): !a && b
        case (.list(let a), .list(let b)): a.lexicographicallyPrecedes(b)
        case (.map(let a), .map(let b)): KeyField.compare(a, b) < 0
        default: lhs.rank < rhs.rank
        }
    }

    /// As Kubernetes prints a value in a path: strings quoted (`"web"`), numbers bare.
    public var description: String {
        switch self {
        case .int(let i): String(i)
        case .double(let d): JSONValue.goFloat(d)
        case .string(let s): JSONValue.goQuote(s)
        case .bool(let b): b ? "true" : "false"
        case .list(let items): "[" + items.map(\.description).joined(separator: ",") + "]"
        case .map(let fields): fields.map { "\($0.name)=\($0.value.description)" }.joined()
        case .null: "null"
        }
    }
}
