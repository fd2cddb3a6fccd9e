/// The shape of a JSON value of the API, as OpenAPI describes it.
///
/// Never written by hand for a kind: ``SchemaRecorder`` reads it off the kind's `Decodable`
/// conformance, so the JSON a kind accepts and the schema the server publishes are one definition.
public indirect enum SchemaType: Sendable, Equatable {
    case string(format: String? = nil, enumValues: [String]? = nil)
    case integer(format: String)
    case number(format: String)
    case boolean
    case array(SchemaType)
    /// A JSON object with arbitrary keys (`labels`, `capacity`).
    case map(SchemaType)
    /// A named object definition (``SchemaSet/definitions``).
    case object(String)
    /// `8080` or `"http"` (Kubernetes' `x-kubernetes-int-or-string`).
    case intOrString
    /// A resource amount: a string such as `100m`, or a number.
    case quantity
}

/// How a list field merges, for strategic merge patches and server-side apply.
///
/// Kubernetes carries this in struct tags (`patchStrategy:"merge" patchMergeKey:"name"`) and in
/// `+listType`/`+listMapKey` markers; Orca carries it in ``SchemaDescribed/fieldSemantics``.
public struct ListSemantics: Sendable, Equatable {
    /// `merge`, `replace` or `retainKeys` (strategic merge patch); nil replaces the list whole.
    public var patchStrategy: String?
    /// The field that identifies an element when merging (`name` for containers).
    public var patchMergeKey: String?
    /// `atomic`, `set` or `map` (server-side apply).
    public var listType: String?
    /// The keys of a `map` list (`containerPort` and `protocol` for container ports).
    public var listMapKeys: [String]?

    public init(patchStrategy: String? = nil, patchMergeKey: String? = nil, listType: String? = nil,
                listMapKeys: [String]? = nil) {
        self.patchStrategy = patchStrategy
        self.patchMergeKey = patchMergeKey
        self.listType = listType
        self.listMapKeys = listMapKeys
    }

    /// A list merged by `key` in both patch kinds (containers by `name`).
    public static func merge(key: String, mapKeys: [String]? = nil) -> ListSemantics {
        ListSemantics(patchStrategy: "merge", patchMergeKey: key, listType: "map", listMapKeys: mapKeys ?? [key])
    }

    /// A list of scalars merged as a set (finalizers).
    public static let set = ListSemantics(patchStrategy: "merge", listType: "set")

    /// A list replaced whole by both patch kinds.
    public static let atomic = ListSemantics(listType: "atomic")
}

/// One field of an object definition.
public struct SchemaProperty: Sendable, Equatable {
    public var name: String
    public var type: SchemaType
    public var required: Bool
    public var description: String?
    public var semantics: ListSemantics?

    public init(name: String, type: SchemaType, required: Bool = false, description: String? = nil,
                semantics: ListSemantics? = nil) {
        self.name = name
        self.type = type
        self.required = required
        self.description = description
        self.semantics = semantics
    }
}

/// A named object: its fields in the order the type decodes them.
public struct ObjectSchema: Sendable, Equatable {
    /// Kubernetes' definition name (`io.k8s.api.core.v1.PodSpec`).
    public var name: String
    public var description: String?
    public var properties: [SchemaProperty]

    public func property(_ name: String) -> SchemaProperty? { properties.first { $0.name == name } }
}

/// The definitions of a set of kinds and everything they contain.
public struct SchemaSet: Sendable {
    public private(set) var definitions: [String: ObjectSchema] = [:]
    private var owners: [String: ObjectIdentifier] = [:]
    /// The definition of each kind recorded with ``add(_:)``, by its Swift type.
    private var roots: [ObjectIdentifier: String] = [:]

    public init() {}

    /// Records `type` and every type it contains. Throws when a type cannot be read off its
    /// `Decodable` conformance (a single-value type that is not a ``SchemaLeaf``).
    @discardableResult
    public mutating func add<T: Decodable>(_ type: T.Type) throws -> String {
        let recorder = SchemaRecorder(definitions: definitions, owners: owners)
        let described = try recorder.describe(T.self)
        definitions = recorder.definitions
        owners = recorder.owners
        guard case .object(let name) = described.type else {
            throw SchemaError("\(T.self) is not an object")
        }
        roots[ObjectIdentifier(T.self)] = name
        return name
    }

    /// The definition name of a kind added with ``add(_:)``.
    public func name<T>(of type: T.Type) -> String? { roots[ObjectIdentifier(type)] }

    /// The object definition a property leads to: through arrays and maps to their elements.
    public func definition(of type: SchemaType) -> ObjectSchema? {
        switch type {
        case .object(let name): definitions[name]
        case .array(let element), .map(let element): definition(of: element)
        default: nil
        }
    }
}

public struct SchemaError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
