/// Metadata every persisted object has.
///
/// `uid`, `creationTimestamp`, `resourceVersion`, `generation` and `selfLink` are set by the
/// server; users may send them but the server overwrites them.
public struct ObjectMeta: Codable, Sendable, Equatable, Hashable {
    public var name: String?
    /// A prefix for a server-generated name when `name` is empty (`jenkins-slave-` -> `jenkins-slave-x7k2q`).
    public var generateName: String?
    public var namespace: String?
    public var uid: String?
    public var resourceVersion: String?
    public var generation: Int64?
    public var creationTimestamp: Timestamp?
    public var deletionTimestamp: Timestamp?
    public var deletionGracePeriodSeconds: Int64?
    public var selfLink: String?
    public var labels: [String: String]?
    public var annotations: [String: String]?
    public var ownerReferences: [OwnerReference]?
    /// Keys of controllers that must act before the object goes: a deleted object with
    /// finalizers stays, with a deletionTimestamp, until they are removed.
    public var finalizers: [String]?

    public init(
        name: String? = nil, generateName: String? = nil, namespace: String? = nil,
        labels: [String: String]? = nil, annotations: [String: String]? = nil
    ) {
        self.name = name
        self.generateName = generateName
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
    }

    /// Field-selector values common to every kind.
    public func fieldValue(_ field: String) -> String? {
        switch field {
        case "metadata.name": name ?? ""
        case "metadata.namespace": namespace ?? ""
        default: nil
        }
    }
}

/// Points from an object to the object that manages it (a pod to its replication controller).
public struct OwnerReference: Codable, Sendable, Equatable, Hashable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var uid: String
    public var controller: Bool?

    public init(apiVersion: String = "v1", kind: String, name: String, uid: String, controller: Bool? = true) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
    }
}

/// A reference to another object, as events and bindings carry.
public struct ObjectReference: Codable, Sendable, Equatable, Hashable {
    public var kind: String?
    public var namespace: String?
    public var name: String?
    public var uid: String?
    public var apiVersion: String?
    public var resourceVersion: String?
    public var fieldPath: String?

    public init(
        kind: String? = nil, namespace: String? = nil, name: String? = nil, uid: String? = nil,
        apiVersion: String? = nil, resourceVersion: String? = nil, fieldPath: String? = nil
    ) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
        self.apiVersion = apiVersion
        self.resourceVersion = resourceVersion
        self.fieldPath = fieldPath
    }
}

/// Metadata of a list: the store revision it was read at and the token for the next page.
public struct ListMeta: Codable, Sendable, Equatable {
    public var resourceVersion: String?
    public var `continue`: String?
    public var remainingItemCount: Int64?
    public var selfLink: String?

    public init(resourceVersion: String? = nil, continue token: String? = nil, remainingItemCount: Int64? = nil) {
        self.resourceVersion = resourceVersion
        self.continue = token
        self.remainingItemCount = remainingItemCount
    }
}
