import OrcaAPI

/// What differs between kinds when the registry stores them: which fields the server owns.
///
/// Kubernetes calls this a strategy. Users never write status through the main resource;
/// the status subresource writes only status.
struct ResourceRules<T: APIObject>: Sendable {
    /// Resets what users may not set on create (status, for most kinds).
    var prepareForCreate: @Sendable (inout T) -> Void = { _ in }
    /// Carries server-owned fields from the stored object into an update of the main resource.
    var prepareForUpdate: @Sendable (_ new: inout T, _ old: T) -> Void = { _, _ in }
    /// For the status subresource: copies the status of `new` into the stored object. Nil when
    /// the kind has no status subresource.
    var applyStatus: (@Sendable (_ stored: inout T, _ new: T) -> Void)?

    init() {}
}

extension ResourceRules where T: StatusSubresourceObject {
    /// Status is the server's: cleared (or set to `initial`) on create, kept on update.
    static func withStatus(initial: T.ObjectStatus? = nil, keepOnCreate: Bool = false) -> ResourceRules<T> {
        var rules = ResourceRules<T>()
        if !keepOnCreate {
            rules.prepareForCreate = { $0.status = initial }
        }
        rules.prepareForUpdate = { new, old in new.status = old.status }
        rules.applyStatus = { stored, new in stored.status = new.status }
        return rules
    }
}
