/// A scope for names: every namespaced object lives in one. `default`, `kube-system`,
/// `kube-public` and `kube-node-lease` always exist.
///
/// Deleting a namespace moves it to phase `Terminating`; the server then deletes everything in
/// it and, when its `spec.finalizers` are empty, the namespace itself.
public struct Namespace: SpecCarryingObject, StatusSubresourceObject {
    public static let kind = "Namespace"
    public static let resource = "namespaces"
    public static let namespaced = false
    public static let shortNames = ["ns"]

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: NamespaceSpec?
    /// Set by the server: `Active`, or `Terminating` once deleted.
    public var status: NamespaceStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: NamespaceSpec? = NamespaceSpec(),
                status: NamespaceStatus? = nil) {
        self.apiVersion = "v1"
        self.kind = Namespace.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// Namespaces that exist from the start and may not be deleted (as in Kubernetes).
    public static let system = ["default", "kube-system", "kube-public", "kube-node-lease"]
    public static let undeletable: Set<String> = ["default", "kube-system", "kube-public"]

    /// The finalizer the server itself removes once the namespace is empty.
    public static let kubernetesFinalizer = "kubernetes"

    public var isTerminating: Bool { metadata.deletionTimestamp != nil || status?.phase == .terminating }

    public func fieldValue(_ field: String) -> String? {
        switch field {
        case "status.phase": status?.phase?.rawValue ?? ""
        default: metadata.fieldValue(field)
        }
    }
}

public struct NamespaceSpec: Codable, Sendable, Equatable {
    public var finalizers: [String]?
    public init(finalizers: [String]? = nil) { self.finalizers = finalizers }
}

public struct NamespaceStatus: Codable, Sendable, Equatable {
    public var phase: NamespacePhase?
    public var conditions: [NamespaceCondition]?
    public init(phase: NamespacePhase? = nil, conditions: [NamespaceCondition]? = nil) {
        self.phase = phase
        self.conditions = conditions
    }
}

public enum NamespacePhase: String, Codable, Sendable, CaseIterable, SchemaLeaf {
    case active = "Active"
    case terminating = "Terminating"
}

public struct NamespaceCondition: Codable, Sendable, Equatable {
    public var type: String
    public var status: String
    public var lastTransitionTime: Timestamp?
    public var reason: String?
    public var message: String?

    public init(type: String, status: String, lastTransitionTime: Timestamp? = nil, reason: String? = nil,
                message: String? = nil) {
        self.type = type
        self.status = status
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }
}

extension Namespace {
    /// A new namespace carries the `kubernetes` finalizer, as Kubernetes' does.
    public mutating func setDefaults() {
        if spec == nil { spec = NamespaceSpec() }
        if spec?.finalizers == nil { spec?.finalizers = [Namespace.kubernetesFinalizer] }
    }

    public func validate() -> [FieldError] {
        var errors = Validation.validateObjectMeta(metadata, namespaced: false, nameValidator: .dns1123Label)
        for (i, finalizer) in (spec?.finalizers ?? []).enumerated() {
            for message in Validation.qualifiedNameErrors(finalizer) {
                errors.append(.invalid(FieldPath("spec.finalizers").index(i), finalizer, message))
            }
        }
        return errors
    }

    public func validateUpdate(from old: Namespace) -> [FieldError] {
        Validation.validateObjectMetaUpdate(metadata, old.metadata) + validate()
    }
}

extension NamespaceSpec: SchemaDescribed {
    public static var fieldSemantics: [String: ListSemantics] { ["finalizers": .set] }
}

extension NamespaceStatus: SchemaDescribed {
    public static var fieldSemantics: [String: ListSemantics] { ["conditions": .merge(key: "type")] }
}
