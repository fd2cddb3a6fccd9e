#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns JSON into API values, with errors that say what is wrong in words a user can act on
/// (never a Swift `DecodingError` dump). YAML and untyped JSON objects (request bodies, `-c`
/// files, merge patches) are OrcaManifest's extension of it, which needs Foundation and Yams.
public enum ManifestDecoder {
    /// Decodes a typed value from JSON bytes, naming the field that is wrong.
    public static func decode<T: Decodable>(_ type: T.Type, json data: Data) throws(APIError) -> T {
        do {
            return try JSON.decode(type, from: data)
        } catch let error as DecodingError {
            throw .badRequest(describe(error))
        } catch {
            throw .badRequest("malformed body: \(error)")
        }
    }

    /// `spec.containers[0].ports[0].containerPort: expected a number, found a string`.
    public static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            var out = ""
            for key in keys {
                if let i = key.intValue {
                    out += "[\(i)]"
                } else {
                    out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return out.isEmpty ? "the body" : out
        }
        switch error {
        case .typeMismatch(let type, let ctx):
            return "\(path(ctx.codingPath)): expected \(typeName(type))"
        case .valueNotFound(let type, let ctx):
            return "\(path(ctx.codingPath)): expected \(typeName(type)), found null"
        case .keyNotFound(let key, let ctx):
            return "\(path(ctx.codingPath + [key])): Required value"
        case .dataCorrupted(let ctx):
            return "\(path(ctx.codingPath)): \(ctx.debugDescription)"
        @unknown default:
            return "malformed body"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt64.Type, is Double.Type: "a number"
        case is Bool.Type: "a boolean"
        case is [Any].Type: "a list"
        default:
            String(describing: type).hasPrefix("Array") ? "a list" :
                String(describing: type).hasPrefix("Dictionary") ? "an object" : "an object"
        }
    }
}
