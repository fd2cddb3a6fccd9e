import OrcaAPI
import Synchronization

/// Kubernetes' NamespaceLifecycle admission: content may be created only in a namespace that
/// exists and is not being deleted, and a deleted namespace is finalized (emptied, then removed)
/// by ``NamespaceFinalizer``.
///
/// Namespaces seen Active are remembered for a short while so that a burst of creates (a
/// replication controller's pods) reads the namespace once, not once per pod; a namespace
/// deleted meanwhile is refused as soon as its entry expires, as an informer would lag.
final class NamespaceLifecycle: Sendable {
    let registry: ResourceRegistry<Namespace>
    private let active = Mutex<[String: ContinuousClock.Instant]>([:])
    /// Names to finalize, for the finalizer service.
    let terminating: AsyncStream<String>
    private let terminatingInput: AsyncStream<String>.Continuation

    static let cacheLifetime: Duration = .seconds(1)

    init(registry: ResourceRegistry<Namespace>) {
        self.registry = registry
        (terminating, terminatingInput) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// 404 when `namespace` does not exist, 403 when it is being deleted.
    func admitCreate(in namespace: String) async throws {
        let now = ContinuousClock.now
        if let seen = active.withLock({ $0[namespace] }), now - seen < Self.cacheLifetime { return }
        let object: Namespace
        do {
            object = try await registry.get(namespace: nil, name: namespace)
        } catch let error as APIError where error.reason == .notFound {
            throw APIError.notFound("namespaces", namespace)
        }
        if object.isTerminating {
            active.withLock { _ = $0.removeValue(forKey: namespace) }
            throw APIError(
                .forbidden,
                "unable to create new content in namespace \(namespace) because it is being terminated",
                details: StatusDetails(name: namespace, kind: "namespaces", causes: [
                    StatusCause(reason: "NamespaceTerminating",
                                message: "namespace \(namespace) is being terminated", field: "metadata.namespace"),
                ]))
        }
        active.withLock { $0[namespace] = now }
    }

    /// Creates the namespaces that always exist, where they do not yet.
    func ensureSystemNamespaces() async throws {
        for name in Namespace.system {
            do {
                _ = try await registry.create(Namespace(metadata: ObjectMeta(name: name)), namespace: nil)
            } catch let error as APIError where error.reason == .alreadyExists {
                continue
            }
        }
    }

    /// What DELETE of a namespace does: marks it Terminating (the object stays, with a
    /// deletionTimestamp) and hands it to the finalizer. Deleting it again changes nothing.
    func delete(_ name: String) async throws -> Namespace {
        if Namespace.undeletable.contains(name) {
            throw APIError(.forbidden, "namespaces \"\(name)\" is forbidden: this namespace may not be deleted",
                           details: StatusDetails(name: name, kind: "namespaces"))
        }
        active.withLock { _ = $0.removeValue(forKey: name) }
        let marked = try await registry.guaranteedUpdate(namespace: nil, name: name) { namespace in
            if namespace.metadata.deletionTimestamp == nil { namespace.metadata.deletionTimestamp = .nowInWholeSeconds() }
            namespace.status = NamespaceStatus(phase: .terminating, conditions: namespace.status?.conditions)
        }
        terminatingInput.yield(name)
        return marked
    }

    /// Hands every namespace already Terminating (a master restarted mid-deletion) to the finalizer.
    func resumeTerminating() async throws {
        for namespace in try await registry.list(namespace: nil, query: .all).items where namespace.isTerminating {
            if let name = namespace.metadata.name { terminatingInput.yield(name) }
        }
    }

    func finish() { terminatingInput.finish() }
}
