import Foundation
import OrcaAPI

/// Kubernetes' `FieldsV1` format (structured-merge-diff's `fieldpath/serialize.go`): a JSON object
/// whose keys are path elements, `f:<name>`, `k:<json object>`, `v:<json value>` or `i:<index>`,
/// and whose values are the same kind of object for the element's children; `"."` marks an
/// element that is itself a member as well as having children.
///
///     {"f:metadata":{"f:labels":{".":{},"f:app":{}}},
///      "f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{}}}}}
extension FieldSet {
    /// Reads a `fieldsV1` value as decoded JSON (`[String: Any]`). Keys of an unknown element
    /// type are skipped, as Kubernetes skips them.
    public init(fieldsV1: Any) throws(APIError) {
        guard let object = fieldsV1 as? [String: Any] else {
            throw .badRequest("error decoding set: fieldsV1 must be a JSON object")
        }
        self = try Self.read(object).children ?? FieldSet()
    }

    /// Reads `fieldsV1` JSON text.
    public init(fieldsV1JSON data: Data) throws(APIError) {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw .badRequest("error decoding set: \((error as NSError).localizedDescription)")
        }
        try self.init(fieldsV1: value)
    }

    /// Whether the element holding `object` is a member, and its children (nil when it has none).
    private static func read(_ object: [String: Any]) throws(APIError) -> (children: FieldSet?, isMember: Bool) {
        var children: FieldSet?
        var isMember = false
        for (key, value) in object {
            if key == "." {
                isMember = true
                continue
            }
            guard let element = try PathElement(serialized: key) else { continue }
            guard let nested = value as? [String: Any] else {
                throw .badRequest("error decoding set: the value of \(key) must be a JSON object")
            }
            let (grandchildren, childIsMember) = try read(nested)
            if childIsMember {
                children = children ?? FieldSet()
                children!.members.insert(element)
            }
            if let grandchildren {
                children = children ?? FieldSet()
                children!.children[element] = grandchildren
            }
        }
        if children == nil { isMember = true }
        return (children, isMember)
    }

    /// The set as a `fieldsV1` value for a managed-fields entry.
    public var fieldsV1: [String: Any] {
        var out: [String: Any] = [:]
        for element in members {
            out[element.serialized] = [String: Any]()
        }
        for (element, set) in children {
            var nested = set.fieldsV1
            if members.contains(element) { nested["."] = [String: Any]() }
            out[element.serialized] = nested
        }
        return out
    }

    /// The set as `fieldsV1` JSON text, its keys in Kubernetes' order (`.` first, then fields,
    /// keys, values and indices, each sorted).
    public var fieldsV1JSON: String { "{" + contents(includeSelf: false) + "}" }

    private func contents(includeSelf: Bool) -> String {
        var parts: [String] = []
        if includeSelf && !isEmpty { parts.append("\".\":{}") }
        for element in Set(members).union(children.keys).sorted() {
            let key = JSONValue.jsonString(element.serialized) + ":"
            if let set = children[element] {
                parts.append(key + "{" + set.contents(includeSelf: members.contains(element)) + "}")
            } else {
                parts.append(key + "{}")
            }
        }
        return parts.joined(separator: ",")
    }
}

extension PathElement {
    /// Reads a `fieldsV1` key; nil for an element type this version does not know.
    init?(serialized key: String) throws(APIError) {
        let bytes = Array(key.utf8)
        guard bytes.count >= 2 else { throw .badRequest("error decoding set: key must be 2 characters long:") }
        guard bytes[1] == UInt8(ascii: ":") else { throw .badRequest("error decoding set: missing colon: \(key)") }
        let body = String(decoding: bytes[2...], as: UTF8.self)
        switch bytes[0] {
        case UInt8(ascii: "f"):
            self = .field(body)
        case UInt8(ascii: "v"):
            self = .value(try Self.parse(body, key))
        case UInt8(ascii: "k"):
            guard case .map(let fields) = try Self.parse(body, key) else {
                throw .badRequest("error decoding set: \(key) is not a JSON object")
            }
            self = .key(fields)
        case UInt8(ascii: "i"):
            guard let index = Int(body) else {
                throw .badRequest(
                    "error decoding set: strconv.Atoi: parsing \(JSONValue.goQuote(body)): invalid syntax")
            }
            self = .index(index)
        default:
            return nil
        }
    }

    private static func parse(_ text: String, _ key: String) throws(APIError) -> FieldValue {
        guard let data = text.data(using: .utf8),
              let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
              let value = FieldValue(json: json) else {
            throw .badRequest("error decoding set: \(key) does not hold a JSON value")
        }
        return value
    }

    /// The element as a `fieldsV1` key.
    var serialized: String {
        switch self {
        case .field(let name): "f:" + name
        case .key(let fields): "k:" + FieldValue.map(fields).jsonText
        case .value(let value): "v:" + value.jsonText
        case .index(let index): "i:" + String(index)
        }
    }
}
