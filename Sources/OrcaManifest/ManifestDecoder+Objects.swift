import Foundation
import OrcaAPI
import Yams

/// JSON or YAML text as untyped JSON objects (`[String: Any]`), for request bodies, merge patches
/// and `-c` files. Foundation's JSONSerialization and Yams do the parsing; OrcaAPI stays free of both
/// so that the minion, which only decodes typed JSON, links neither.
extension ManifestDecoder {
    /// Parses JSON or YAML text into a JSON object (a dictionary with JSON-compatible values).
    ///
    /// JSON is tried first (it is also YAML, but the JSON parser gives better positions).
    public static func object(from data: Data) throws(APIError) -> [String: Any] {
        let value = try jsonValue(from: data)
        guard let dict = value as? [String: Any] else {
            throw .badRequest("the body must be an object, not \(describe(value))")
        }
        return dict
    }

    /// Parses JSON or YAML into any JSON-compatible value.
    public static func jsonValue(from data: Data) throws(APIError) -> Any {
        let trimmed = data.drop(while: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 })
        guard !trimmed.isEmpty else { throw .badRequest("the body is empty") }
        if trimmed.first == UInt8(ascii: "{") || trimmed.first == UInt8(ascii: "[") {
            do {
                return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            } catch {
                // `{...}` is also valid YAML flow syntax; fall through only for real YAML.
                if let yaml = try? yamlValue(data), yaml is [String: Any] || yaml is [Any] { return yaml }
                throw .badRequest("malformed JSON: \(jsonMessage(error))")
            }
        }
        do {
            return try yamlValue(data)
        } catch let e as APIError {
            throw e
        } catch {
            throw .badRequest("malformed YAML: \(error)")
        }
    }

    /// Decodes a typed value from a JSON-compatible object, naming the field that is wrong.
    public static func decode<T: Decodable>(_ type: T.Type, from object: Any) throws(APIError) -> T {
        let data: Data
        do {
            data = try JSONSerialization.data(withJSONObject: object, options: [.fragmentsAllowed])
        } catch {
            throw .badRequest("the body cannot be represented as JSON")
        }
        return try decode(type, json: data)
    }

    private static func yamlValue(_ data: Data) throws -> Any {
        guard let text = String(data: data, encoding: .utf8) else {
            throw APIError.badRequest("the body is not UTF-8 text")
        }
        guard let loaded = try Yams.load(yaml: text) else { throw APIError.badRequest("the body is empty") }
        return try jsonCompatible(loaded)
    }

    /// YAML gives Swift values (Int, Double, Bool, Date, [AnyHashable: Any]); JSON needs strings as keys.
    private static func jsonCompatible(_ value: Any) throws -> Any {
        switch value {
        case let dict as [String: Any]:
            return try dict.mapValues(jsonCompatible)
        case let dict as [AnyHashable: Any]:
            var out: [String: Any] = [:]
            for (k, v) in dict { out[String(describing: k.base)] = try jsonCompatible(v) }
            return out
        case let list as [Any]:
            return try list.map(jsonCompatible)
        case let date as Date:
            return Timestamp(date).description
        case let data as Data:
            return data.base64EncodedString()
        case is NSNull, is String, is Bool, is Int, is Double:
            return value
        default:
            return String(describing: value)
        }
    }

    private static func describe(_ value: Any) -> String {
        switch value {
        case is [Any]: "a list"
        case is String: "a string"
        case is NSNull: "null"
        default: "a scalar"
        }
    }

    private static func jsonMessage(_ error: any Error) -> String {
        let ns = error as NSError
        if let d = ns.userInfo[NSDebugDescriptionErrorKey] as? String { return d }
        return ns.localizedDescription
    }
}
