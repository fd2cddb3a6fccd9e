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
    /// The API group (`""` for the core group, `events.k8s.io`) and version the kind is served in.
    static var group: String { get }
    static var version: String { get }
    /// Abbreviations kubectl accepts (`po`, `svc`) and the categories it expands (`all`).
    static var shortNames: [String] { get }
    static var categories: [String] { get }

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
    public static var group: String { "" }
    public static var version: String { "v1" }
    public static var shortNames: [String] { [] }
    public static var categories: [String] { [] }

    /// `v1` for the core group, `GROUP/VERSION` for the others, as objects carry it.
    public static var apiVersion: String { group.isEmpty ? version : group + "/" + version }

    public func validateUpdate(from old: Self) -> [FieldError] { validate() }

    public func fieldValue(_ field: String) -> String? { metadata.fieldValue(field) }

    /// Sets `apiVersion` and `kind` to the kind's own, as every response carries them.
    public mutating func setTypeMeta() {
        apiVersion = Self.apiVersion
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
