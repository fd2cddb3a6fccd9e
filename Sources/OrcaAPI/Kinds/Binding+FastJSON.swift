// Hand-written JSON of bindings (see FastJSON): the scheduler posts one per pod. Stricter than the
// Codable path on purpose: a binding without `metadata` or `target` is declined (Codable fills in
// empty ones), so a caller that requires metadata sees the Codable path decide.

extension Binding: FastJSONCodable, TypeMetaCarrying {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        var apiVersion, kind: String?
        var metadata: ObjectMeta?
        var target: ObjectReference?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "apiVersion": try reader.read(&apiVersion)
            case "kind": try reader.read(&kind)
            case "metadata": try reader.read(&metadata)
            case "target": try reader.read(&target)
            default: try reader.skipValue()
            }
        }
        guard let metadata, let target else { throw FastJSON.Declined() }
        self.init(metadata: metadata, target: target)
        self.apiVersion = apiVersion
        self.kind = kind
    }

    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("apiVersion", apiVersion)
        writer.field("kind", kind)
        writer.field("metadata", metadata)
        writer.field("target", target)
        writer.endObject()
    }
}

extension ObjectReference: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        var kind, namespace, name, uid, apiVersion, resourceVersion, fieldPath: String?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "kind": try reader.read(&kind)
            case "namespace": try reader.read(&namespace)
            case "name": try reader.read(&name)
            case "uid": try reader.read(&uid)
            case "apiVersion": try reader.read(&apiVersion)
            case "resourceVersion": try reader.read(&resourceVersion)
            case "fieldPath": try reader.read(&fieldPath)
            default: try reader.skipValue()
            }
        }
        self.init(kind: kind, namespace: namespace, name: name, uid: uid, apiVersion: apiVersion,
                  resourceVersion: resourceVersion, fieldPath: fieldPath)
    }

    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("apiVersion", apiVersion)
        writer.field("fieldPath", fieldPath)
        writer.field("kind", kind)
        writer.field("name", name)
        writer.field("namespace", namespace)
        writer.field("resourceVersion", resourceVersion)
        writer.field("uid", uid)
        writer.endObject()
    }
}
