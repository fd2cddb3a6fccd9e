import Foundation
import OrcaAPI

/// The fast way to read a request body: one pass over the bytes (by hand for pods and bindings,
/// else `JSONDecoder`), for the common case of a well-formed JSON object whose `apiVersion` and
/// `kind` fit the path.
///
/// Everything else (YAML, malformed JSON, a wrong kind, a field of the wrong type, a missing or
/// null `metadata`) gets nil, and the caller falls back to the dictionary path, which accepts
/// YAML and says precisely what is wrong. So this changes how fast a good body is read, never
/// what a bad body is told.
enum JSONBody {
    /// `body` decoded as `Object`, or nil when the dictionary path must decide.
    /// - Parameter requireMetadata: decline a body without a `metadata` object (the dictionary
    ///   path supplies an empty one, which the v1 kinds need).
    static func decode<Object: Decodable>(_ type: Object.Type, from body: Data, apiVersion: [String], kind: String,
                                          requireMetadata: Bool) -> Object? {
        guard body.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "{")
        else { return nil }
        let read: (object: Object, apiVersion: String?, kind: String?)
        // A pod or binding in the usual form is read by hand (FastJSON); anything it declines goes
        // through JSONDecoder with its type meta read beside it.
        if let fast = FastJSON.decode(Object.self, from: body), let meta = fast as? any TypeMetaCarrying {
            read = (fast, meta.apiVersion, meta.kind)
        } else {
            let decoder = JSONDecoder()
            decoder.userInfo[Envelope<Object>.requireMetadataKey] = requireMetadata
            guard let envelope = try? decoder.decode(Envelope<Object>.self, from: body) else { return nil }
            read = (envelope.object, envelope.apiVersion, envelope.kind)
        }
        if let version = read.apiVersion, !version.isEmpty, !apiVersion.contains(version) { return nil }
        if let found = read.kind, !found.isEmpty, found != kind { return nil }
        return read.object
    }

    /// The object with its type meta read beside it, in the same pass.
    private struct Envelope<Wrapped: Decodable>: Decodable {
        static var requireMetadataKey: CodingUserInfoKey { CodingUserInfoKey(rawValue: "orca.requireMetadata")! }

        var apiVersion: String?
        var kind: String?
        var object: Wrapped

        private enum Keys: String, CodingKey {
            case apiVersion, kind, metadata
        }

        private struct Declined: Error {}

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            // Present but not a string (null included) is an error the dictionary path words.
            apiVersion = c.contains(.apiVersion) ? try c.decode(String.self, forKey: .apiVersion) : nil
            kind = c.contains(.kind) ? try c.decode(String.self, forKey: .kind) : nil
            if decoder.userInfo[Self.requireMetadataKey] as? Bool == true {
                guard c.contains(.metadata), try !c.decodeNil(forKey: .metadata) else { throw Declined() }
            }
            object = try Wrapped(from: decoder)
        }
    }
}
