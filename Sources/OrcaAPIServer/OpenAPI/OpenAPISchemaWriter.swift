import OrcaAPI

/// Writes ``SchemaType``s and ``ObjectSchema``s as OpenAPI schema objects (JSON-compatible
/// dictionaries), in Swagger 2.0 or OpenAPI 3.0 form: the two differ only in where references point.
struct OpenAPISchemaWriter {
    enum Dialect { case v2, v3 }

    let dialect: Dialect

    func reference(_ name: String) -> String {
        switch dialect {
        case .v2: "#/definitions/" + name
        case .v3: "#/components/schemas/" + name
        }
    }

    func schema(_ type: SchemaType, description: String? = nil, semantics: ListSemantics? = nil) -> [String: Any] {
        var out: [String: Any]
        switch type {
        case .string(let format, let values):
            out = ["type": "string"]
            if let format { out["format"] = format }
            if let values { out["enum"] = values }
        case .integer(let format):
            out = ["type": "integer", "format": format]
        case .number(let format):
            out = ["type": "number", "format": format]
        case .boolean:
            out = ["type": "boolean"]
        case .array(let element):
            out = ["type": "array", "items": schema(element)]
        case .map(let value):
            out = ["type": "object", "additionalProperties": schema(value)]
        case .object(let name):
            // A reference with a description of its own goes through allOf, as Kubernetes writes it.
            if let description, dialect == .v3 {
                return ["allOf": [["$ref": reference(name)]], "description": description, "default": [String: Any]()]
            }
            out = ["$ref": reference(name)]
        case .intOrString:
            out = ["type": "string", "format": "int-or-string"]
            if dialect == .v3 { out["x-kubernetes-int-or-string"] = true }
        case .quantity:
            out = ["type": "string"]
        }
        if let description { out["description"] = description }
        if let semantics {
            if let strategy = semantics.patchStrategy { out["x-kubernetes-patch-strategy"] = strategy }
            if let key = semantics.patchMergeKey { out["x-kubernetes-patch-merge-key"] = key }
            if let listType = semantics.listType { out["x-kubernetes-list-type"] = listType }
            if let keys = semantics.listMapKeys, semantics.listType == "map" { out["x-kubernetes-list-map-keys"] = keys }
        }
        return out
    }

    /// An object definition; `kinds` are the group-version-kinds it is the schema of.
    func definition(_ object: ObjectSchema, kinds: [GroupVersionKindRef]) -> [String: Any] {
        var properties: [String: Any] = [:]
        for property in object.properties {
            properties[property.name] = schema(property.type, description: property.description,
                                               semantics: property.semantics)
        }
        var out: [String: Any] = ["type": "object", "properties": properties]
        let required = object.properties.filter(\.required).map(\.name)
        if !required.isEmpty { out["required"] = required }
        if let description = object.description { out["description"] = description }
        if !kinds.isEmpty {
            out["x-kubernetes-group-version-kind"] = kinds.map { ["group": $0.group, "version": $0.version, "kind": $0.kind] }
        }
        return out
    }
}

/// A group, version and kind as OpenAPI's `x-kubernetes-group-version-kind` names it.
struct GroupVersionKindRef: Hashable, Sendable {
    var group: String
    var version: String
    var kind: String

    init(_ groupVersion: GroupVersion, _ kind: String) {
        group = groupVersion.group
        version = groupVersion.version
        self.kind = kind
    }

    var dictionary: [String: Any] { ["group": group, "version": version, "kind": kind] }
}
