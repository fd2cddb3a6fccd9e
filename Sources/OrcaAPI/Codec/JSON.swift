#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The encoder every component uses, so output is the same everywhere (sorted keys make
/// responses and stored values byte-stable).
public enum JSON {
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = false) -> Data {
        // Pods are written by hand (the same bytes, several times faster: FastJSON).
        if !pretty, let fast = FastJSON.encode(value) { return fast }
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        // Encoding our own value types cannot fail: they hold no non-finite floats.
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }

    /// The decoder every component uses: pods by hand (FastJSON), anything else, and whatever
    /// the hand-written reader declines, by `JSONDecoder`, whose errors callers word.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        if let fast = FastJSON.decode(type, from: data) { return fast }
        return try JSONDecoder().decode(type, from: data)
    }
}
