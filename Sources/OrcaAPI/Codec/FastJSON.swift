#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A value that reads itself from JSON by hand, to the same value its `Decodable` conformance
/// gives, or declines.
public protocol FastJSONDecodable {
    init(json reader: inout JSONReader) throws(FastJSON.Declined)
}

/// A value that writes itself as JSON by hand, to the same bytes `JSON.encode` gives.
public protocol FastJSONEncodable {
    func writeJSON(_ writer: inout JSONWriter)
}

public typealias FastJSONCodable = FastJSONDecodable & FastJSONEncodable

/// The hand-written JSON path of the kinds every pod goes through many times (`Pod` and its
/// parts): the master decodes and encodes each pod about eight times between its creation and
/// its Running status, and `JSONDecoder`/`JSONEncoder` took a third of the master's CPU
/// (BENCHMARKS.md, "Scheduling"). Both directions give exactly what the `Codable` conformances
/// give; the reader declines what it does not read the same way and callers then use
/// `JSONDecoder`, so behaviour and error messages stay those of the `Codable` path.
public enum FastJSON {
    /// The hand-written reader cannot decode this input the way `JSONDecoder` would: use it.
    public struct Declined: Error {
        public init() {}
    }

    /// `data` decoded as `type` by hand; nil when `type` has no hand-written reader or it declined.
    public static func decode<T>(_ type: T.Type, from data: Data) -> T? {
        guard let fast = type as? any FastJSONDecodable.Type else { return nil }
        return read(data) { reader throws(Declined) in try fast.init(json: &reader) } as? T
    }

    /// A watch line, `{"object":{...},"type":"ADDED"}`, with its object read by hand; nil when
    /// the object's type has no hand-written reader or the reader declined.
    public static func decodeWatchLine<T>(_ type: T.Type, from data: Data) -> (type: String, object: T)? {
        guard let fast = type as? any FastJSONDecodable.Type else { return nil }
        let line = read(data) { reader throws(Declined) -> (String, any FastJSONDecodable) in
            var eventType: String?
            var object: (any FastJSONDecodable)?
            try reader.beginObject()
            while let key = try reader.nextKey() {
                switch key {
                case "type": try reader.read(&eventType)
                case "object":
                    guard object == nil else { throw Declined() }
                    object = try fast.init(json: &reader)
                default: try reader.skipValue()
                }
            }
            guard let eventType, let object else { throw Declined() }
            return (eventType, object)
        }
        guard let line, let object = line.1 as? T else { return nil }
        return (line.0, object)
    }

    /// What `body` reads from the whole of `data` (nothing but whitespace after it); nil when it
    /// or the reader declined.
    private static func read<Value>(_ data: Data,
                                    _ body: (inout JSONReader) throws(Declined) -> Value) -> Value? {
        data.withUnsafeBytes { raw -> Value? in
            var reader = JSONReader(raw)
            do throws(Declined) {
                let value = try body(&reader)
                try reader.finish()
                return value
            } catch {
                return nil
            }
        }
    }

    /// `value` encoded by hand; nil when its type has no hand-written writer.
    public static func encode<T>(_ value: T) -> Data? {
        guard let fast = value as? any FastJSONEncodable else { return nil }
        var writer = JSONWriter()
        fast.writeJSON(&writer)
        return Data(writer.bytes)
    }
}

// MARK: - Scalars and collections

extension String: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) { self = try reader.readString() }
    public func writeJSON(_ writer: inout JSONWriter) { writer.string(self) }
}

extension Bool: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) { self = try reader.readBool() }
    public func writeJSON(_ writer: inout JSONWriter) { writer.bool(self) }
}

/// The API's integer widths: a JSON integer that does not fit is declined (JSONDecoder rejects it).
public protocol FastJSONInteger: FastJSONCodable, FixedWidthInteger {}

extension FastJSONInteger {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        guard let value = Self(exactly: try reader.readInt64()) else { throw FastJSON.Declined() }
        self = value
    }

    public func writeJSON(_ writer: inout JSONWriter) { writer.integer(self) }
}

extension Int: FastJSONInteger {}
extension Int64: FastJSONInteger {}
extension Int32: FastJSONInteger {}

extension Array: FastJSONDecodable where Element: FastJSONDecodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        self = []
        try reader.beginArray()
        while try reader.nextElement() { append(try Element(json: &reader)) }
    }
}

extension Array: FastJSONEncodable where Element: FastJSONEncodable {
    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginArray()
        for element in self { element.writeJSON(&writer) }
        writer.endArray()
    }
}

extension Dictionary: FastJSONDecodable where Key == String, Value: FastJSONDecodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        self = [:]
        try reader.beginObject()
        while let name = try reader.nextKeyText() {
            // JSONDecoder keeps the first of two equal keys.
            guard self[name] == nil else { throw FastJSON.Declined() }
            self[name] = try Value(json: &reader)
        }
    }
}

extension Dictionary: FastJSONEncodable where Key == String, Value: FastJSONEncodable {
    /// Keys in the order of their UTF-8 bytes, as `JSONEncoder`'s `.sortedKeys` writes them.
    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        for (key, value) in sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            writer.key(key)
            value.writeJSON(&writer)
        }
        writer.endObject()
    }
}

/// The string enums of the API: a value the type does not hold is declined (its `Codable` path
/// words the error).
public protocol FastJSONStringEnum: FastJSONCodable, RawRepresentable where RawValue == String {}

extension FastJSONStringEnum {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        guard let value = Self(rawValue: try reader.readString()) else { throw FastJSON.Declined() }
        self = value
    }

    public func writeJSON(_ writer: inout JSONWriter) { writer.string(rawValue) }
}
