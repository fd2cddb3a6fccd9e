import OrcaAPI

/// Where a JSON value sits in a kind's schema: what its members are and how its lists merge.
///
/// The patch engines walk an object and its schema together; a member the schema does not
/// declare leads to ``Shape/unknown``, which both engines treat as plain JSON (maps merge, lists
/// are replaced whole).
struct SchemaNode {
    enum Shape {
        /// A named definition with declared fields (a struct).
        case object(ObjectSchema)
        /// Arbitrary keys, each an `element` (labels, resource limits).
        case map(SchemaType)
        /// A list of `element`, merging as `semantics` says (nil: replaced whole).
        case list(SchemaType, ListSemantics?)
        case scalar
        case unknown
    }

    let schema: SchemaSet
    let shape: Shape

    init(schema: SchemaSet, type: SchemaType?, semantics: ListSemantics? = nil) {
        self.schema = schema
        switch type {
        case nil: shape = .unknown
        case .object(let name)?: shape = schema.definitions[name].map(Shape.object) ?? .unknown
        case .map(let element)?: shape = .map(element)
        case .array(let element)?: shape = .list(element, semantics)
        default: shape = .scalar
        }
    }

    static func root(_ schema: SchemaSet, _ name: String) -> SchemaNode {
        SchemaNode(schema: schema, type: .object(name))
    }

    var isUnknown: Bool { if case .unknown = shape { true } else { false } }

    /// The Go struct name Kubernetes' errors use (`PodSpec` for `io.k8s.api.core.v1.PodSpec`).
    var typeName: String {
        if case .object(let definition) = shape {
            return definition.name.split(separator: ".").last.map(String.init) ?? definition.name
        }
        return ""
    }

    /// Whether `key` is a declared field of this struct (map keys and unknown members are not).
    func declares(_ key: String) -> Bool {
        if case .object(let definition) = shape { return definition.property(key) != nil }
        return false
    }

    func member(_ key: String) -> SchemaNode {
        switch shape {
        case .object(let definition):
            guard let property = definition.property(key) else { return SchemaNode(schema: schema, type: nil) }
            return SchemaNode(schema: schema, type: property.type, semantics: property.semantics)
        case .map(let element):
            return SchemaNode(schema: schema, type: element)
        default:
            return SchemaNode(schema: schema, type: nil)
        }
    }

    var element: SchemaNode {
        if case .list(let element, _) = shape { return SchemaNode(schema: schema, type: element) }
        return SchemaNode(schema: schema, type: nil)
    }

    var semantics: ListSemantics? {
        if case .list(_, let semantics) = shape { return semantics }
        return nil
    }

    /// The strategic-merge strategies of this field: `merge`, `replace`, and whether it retains keys.
    var patchStrategy: (strategy: String?, retainKeys: Bool) {
        let parts = (semantics?.patchStrategy ?? "").split(separator: ",").map(String.init)
        let retain = parts.contains("retainKeys")
        return (parts.first { $0 != "retainKeys" }, retain)
    }
}
