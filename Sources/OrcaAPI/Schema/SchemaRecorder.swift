/// Reads a type's schema off its `Decodable` conformance: it decodes the type from a decoder that
/// answers every request with a placeholder and writes down what was asked for. A field read with
/// `decode` is required, one read with `decodeIfPresent` optional; the type of each field is
/// described the same way, down to strings, numbers and ``SchemaLeaf`` types.
///
/// A type whose conformance needs something else (a single value, a nested container) makes
/// ``describe(_:)`` throw, so a kind the recorder cannot read fails its schema test loudly
/// instead of publishing a wrong schema.
final class SchemaRecorder {
    private(set) var definitions: [String: ObjectSchema]
    /// The Swift type behind each definition name: two types may not share one.
    private(set) var owners: [String: ObjectIdentifier]
    /// A decoded placeholder of each object type, handed back when the type is met again.
    private var placeholders: [String: Any] = [:]
    private var inProgress: Set<String> = []

    init(definitions: [String: ObjectSchema], owners: [String: ObjectIdentifier]) {
        self.definitions = definitions
        self.owners = owners
    }

    func describe<T: Decodable>(_ type: T.Type) throws -> (type: SchemaType, value: T) {
        if let primitive = Self.primitive(T.self) { return primitive }
        if let leaf = T.self as? any SchemaLeaf.Type {
            return (leaf.leafSchema, leaf.schemaPlaceholder as! T)
        }
        if let collection = T.self as? any SchemaCollection.Type {
            let described = try collection.describeCollection(self)
            return (described.type, described.value as! T)
        }
        return try describeObject(T.self)
    }

    private func describeObject<T: Decodable>(_ type: T.Type) throws -> (type: SchemaType, value: T) {
        let annotations = T.self as? any SchemaDescribed.Type
        let name = Self.definitionName(T.self, annotations)
        if let owner = owners[name], owner != ObjectIdentifier(T.self) {
            throw SchemaError("two types are both named \(name) in the schema (one is \(T.self))")
        }
        if let value = placeholders[name] as? T { return (.object(name), value) }
        guard !inProgress.contains(name) else { throw SchemaError("\(T.self) contains itself") }
        inProgress.insert(name)
        defer { inProgress.remove(name) }
        let decoder = RecordingDecoder(recorder: self, typeName: "\(T.self)", annotations: annotations)
        let value = try T(from: decoder)
        definitions[name] = ObjectSchema(
            name: name, description: annotations?.schemaDescription, properties: decoder.properties)
        owners[name] = ObjectIdentifier(T.self)
        placeholders[name] = value
        return (.object(name), value)
    }

    static func definitionName<T>(_ type: T.Type, _ annotations: (any SchemaDescribed.Type)?) -> String {
        let package = annotations?.schemaPackage ?? SchemaPackage.core
        return package + "." + (annotations?.schemaTypeName ?? "\(T.self)")
    }

    private static func primitive<T>(_ type: T.Type) -> (type: SchemaType, value: T)? {
        switch type {
        case is String.Type: (.string(), "" as! T)
        case is Bool.Type: (.boolean, false as! T)
        case is Int.Type: (.integer(format: "int64"), 0 as Int as! T)
        case is Int64.Type: (.integer(format: "int64"), 0 as Int64 as! T)
        case is Int32.Type: (.integer(format: "int32"), 0 as Int32 as! T)
        case is UInt64.Type: (.integer(format: "int64"), 0 as UInt64 as! T)
        case is UInt32.Type: (.integer(format: "int32"), 0 as UInt32 as! T)
        case is Double.Type: (.number(format: "double"), 0.0 as Double as! T)
        case is Float.Type: (.number(format: "float"), 0.0 as Float as! T)
        default: nil
        }
    }
}

/// Arrays, string-keyed dictionaries and optionals: described by their element.
protocol SchemaCollection {
    static func describeCollection(_ recorder: SchemaRecorder) throws -> (type: SchemaType, value: Any)
}

extension Array: SchemaCollection where Element: Decodable {
    static func describeCollection(_ recorder: SchemaRecorder) throws -> (type: SchemaType, value: Any) {
        (.array(try recorder.describe(Element.self).type), [Element]())
    }
}

extension Dictionary: SchemaCollection where Key == String, Value: Decodable {
    static func describeCollection(_ recorder: SchemaRecorder) throws -> (type: SchemaType, value: Any) {
        (.map(try recorder.describe(Value.self).type), [String: Value]())
    }
}

extension Optional: SchemaCollection where Wrapped: Decodable {
    static func describeCollection(_ recorder: SchemaRecorder) throws -> (type: SchemaType, value: Any) {
        let wrapped = try recorder.describe(Wrapped.self)
        return (wrapped.type, Optional(wrapped.value) as Any)
    }
}

/// The decoder ``SchemaRecorder`` hands to one object type's `init(from:)`.
private final class RecordingDecoder: Decoder {
    let recorder: SchemaRecorder
    let typeName: String
    let annotations: (any SchemaDescribed.Type)?
    var properties: [SchemaProperty] = []

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(recorder: SchemaRecorder, typeName: String, annotations: (any SchemaDescribed.Type)?) {
        self.recorder = recorder
        self.typeName = typeName
        self.annotations = annotations
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RecordingKeyedContainer<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw SchemaError("\(typeName) decodes from a JSON array; the schema recorder reads objects only")
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw SchemaError("\(typeName) decodes from a single JSON value: conform it to SchemaLeaf")
    }

    func record<T: Decodable>(_ type: T.Type, key: String, required: Bool) throws -> T {
        let described = try recorder.describe(T.self)
        if !properties.contains(where: { $0.name == key }) {
            properties.append(SchemaProperty(
                name: key, type: described.type,
                required: required || annotations?.requiredFields.contains(key) == true,
                description: annotations?.fieldDescriptions[key],
                semantics: annotations?.fieldSemantics[key]))
        }
        return described.value
    }
}

private struct RecordingKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: RecordingDecoder

    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.record(T.self, key: key.stringValue, required: true)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try decoder.record(T.self, key: key.stringValue, required: false)
    }

    // The standard library asks for every primitive by its own overload.
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try required(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try required(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try required(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try required(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try required(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try required(Int32.self, key).clamped() }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try required(Int32.self, key).clamped() }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try required(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try required(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { UInt(try required(UInt64.self, key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try required(UInt32.self, key).clamped() }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try required(UInt32.self, key).clamped() }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try required(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try required(type, key) }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optional(type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optional(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optional(type, key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try optional(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optional(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try optional(Int32.self, key)?.clamped() }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try optional(Int32.self, key)?.clamped() }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try optional(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try optional(UInt64.self, key).map(UInt.init) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try optional(UInt32.self, key)?.clamped() }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try optional(UInt32.self, key)?.clamped() }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try optional(type, key) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey> {
        throw SchemaError("\(decoder.typeName).\(key.stringValue) is an unnamed nested object: give it a type")
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw SchemaError("\(decoder.typeName).\(key.stringValue) is an unnamed nested list: decode it as an array")
    }

    func superDecoder() throws -> any Decoder {
        throw SchemaError("\(decoder.typeName) decodes through a super decoder")
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        throw SchemaError("\(decoder.typeName).\(key.stringValue) decodes through a super decoder")
    }

    private func required<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        try decoder.record(T.self, key: key.stringValue, required: true)
    }

    private func optional<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        try decoder.record(T.self, key: key.stringValue, required: false)
    }
}

private extension FixedWidthInteger {
    func clamped<Other: FixedWidthInteger>() -> Other { Other(clamping: self) }
}
