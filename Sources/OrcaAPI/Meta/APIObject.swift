/// A value that says its `apiVersion` and `kind` (objects of the API, bindings).
public protocol TypeMetaCarrying {
    var apiVersion: String? { get }
    var kind: String? { get }
}

/// A kind served by the API: a Codable value with `metadata`, defaulting and validation.
///
/// The internal model is the Kubernetes v1 shape. The API server is generic over this
/// protocol, so adding a kind means conforming a type and registering its resource.
public protocol APIObject: Codable, Sendable, Equatable, TypeMetaCarrying {
    /// The kind name, as in `"kind": "Pod"`.
    static var kind: String { get }
    /// The v1 resource name used in paths, as in `/api/v1/namespaces/default/pods`.
    static var resource: String { get }
    /// Whether objects live in a namespace (pods) or in the cluster (nodes).
    static var namespaced: Bool { get }

    var apiVersion: String? { get set }
    var kind: String? { get set }
    var metadata: ObjectMeta { get set }

    /// Fills in what the user may omit (protocol TCP, restartPolicy Always, ...).
    mutating func setDefaults()
    /// Every problem of a new object, each with its field path.
    func validate() -> [FieldError]
    /// Every problem of an update from `old` (immutable fields included).
    func validateUpdate(from old: Self) -> [FieldError]
    /// The value of a field for `fieldSelector`, or nil when the kind has no such field.
    func fieldValue(_ field: String) -> String?
}

extension APIObject {
    public func validateUpdate(from old: Self) -> [FieldError] { validate() }

    public func fieldValue(_ field: String) -> String? { metadata.fieldValue(field) }

    /// Sets `apiVersion` and `kind` to the v1 values, as every response carries them.
    public mutating func setTypeMeta() {
        apiVersion = "v1"
        kind = Self.kind
    }
}

/// A kind with a `status` that only the status subresource may change.
public protocol StatusSubresourceObject: APIObject {
    associatedtype ObjectStatus: Codable & Sendable & Equatable
    var status: ObjectStatus? { get set }
}

/// A kind with a `spec`; the server bumps `metadata.generation` when it changes.
public protocol SpecCarryingObject: APIObject {
    associatedtype ObjectSpec: Codable & Sendable & Equatable
    var spec: ObjectSpec? { get set }
}
