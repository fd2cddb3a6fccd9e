// Hand-written JSON of the metadata every object carries (see FastJSON). Members are written in
// sorted order; FastJSONTests checks the bytes and values against the Codable conformances.

extension ObjectMeta: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        var name, generateName, namespace, uid, resourceVersion, selfLink: String?
        var generation, deletionGracePeriodSeconds: Int64?
        var creationTimestamp, deletionTimestamp: Timestamp?
        var labels, annotations: [String: String]?
        var ownerReferences: [OwnerReference]?
        var finalizers: [String]?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "name": try reader.read(&name)
            case "generateName": try reader.read(&generateName)
            case "namespace": try reader.read(&namespace)
            case "uid": try reader.read(&uid)
            case "resourceVersion": try reader.read(&resourceVersion)
            case "generation": try reader.read(&generation)
            case "creationTimestamp": try reader.read(&creationTimestamp)
            case "deletionTimestamp": try reader.read(&deletionTimestamp)
            case "deletionGracePeriodSeconds": try reader.read(&deletionGracePeriodSeconds)
            case "selfLink": try reader.read(&selfLink)
            case "labels": try reader.read(&labels)
            case "annotations": try reader.read(&annotations)
            case "ownerReferences": try reader.read(&ownerReferences)
            case "finalizers": try reader.read(&finalizers)
            default: try reader.skipValue()
            }
        }
        self.name = name
        self.generateName = generateName
        self.namespace = namespace
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.generation = generation
        self.creationTimestamp = creationTimestamp
        self.deletionTimestamp = deletionTimestamp
        self.deletionGracePeriodSeconds = deletionGracePeriodSeconds
        self.selfLink = selfLink
        self.labels = labels
        self.annotations = annotations
        self.ownerReferences = ownerReferences
        self.finalizers = finalizers
    }

    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("annotations", annotations)
        writer.field("creationTimestamp", creationTimestamp)
        writer.field("deletionGracePeriodSeconds", deletionGracePeriodSeconds)
        writer.field("deletionTimestamp", deletionTimestamp)
        writer.field("finalizers", finalizers)
        writer.field("generateName", generateName)
        writer.field("generation", generation)
        writer.field("labels", labels)
        writer.field("name", name)
        writer.field("namespace", namespace)
        writer.field("ownerReferences", ownerReferences)
        writer.field("resourceVersion", resourceVersion)
        writer.field("selfLink", selfLink)
        writer.field("uid", uid)
        writer.endObject()
    }
}

extension OwnerReference: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        var apiVersion, kind, name, uid: String?
        var controller: Bool?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "apiVersion": try reader.read(&apiVersion)
            case "kind": try reader.read(&kind)
            case "name": try reader.read(&name)
            case "uid": try reader.read(&uid)
            case "controller": try reader.read(&controller)
            default: try reader.skipValue()
            }
        }
        guard let apiVersion, let kind, let name, let uid else { throw FastJSON.Declined() }
        self.init(apiVersion: apiVersion, kind: kind, name: name, uid: uid, controller: controller)
    }

    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("apiVersion", apiVersion)
        writer.field("controller", controller)
        writer.field("kind", kind)
        writer.field("name", name)
        writer.field("uid", uid)
        writer.endObject()
    }
}

extension Timestamp: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        let text = try reader.readString()
        guard let date = Timestamp.parseWholeSecondUTC(text) ?? Timestamp.parse(text) else { throw FastJSON.Declined() }
        self.init(date)
    }

    public func writeJSON(_ writer: inout JSONWriter) {
        writer.string(wholeSecondUTCText ?? description)
    }
}

extension Quantity: FastJSONCodable {
    /// A number is an integer amount, as the `Codable` path reads it first; a number with a
    /// fraction is declined (the `Codable` path rounds it to thousandths).
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        if reader.nextIsString() {
            guard let quantity = Quantity(try reader.readString()) else { throw FastJSON.Declined() }
            self = quantity
        } else {
            self.init(integer: try reader.readInt64())
        }
    }

    public func writeJSON(_ writer: inout JSONWriter) { writer.string(text) }
}
