import Logging
import OrcaAPI
import ServiceLifecycle

/// Empties deleted namespaces and then removes them, as Kubernetes' namespace controller does:
/// every namespaced resource's objects in it are deleted (through their endpoints, so a
/// service's IP is released), the `kubernetes` finalizer is removed, and once no finalizer is
/// left the namespace itself is deleted. A namespace that cannot be emptied yet is retried.
struct NamespaceFinalizer: ServiceLifecycle.Service {
    let lifecycle: NamespaceLifecycle
    let contents: [any ResourceEndpoint]
    let logger: Logger
    var retryDelay: Duration = .seconds(1)

    func run() async throws {
        try await lifecycle.resumeTerminating()
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for await name in lifecycle.terminating {
                    group.addTask { await finalize(name) }
                }
            }
        }
    }

    private func finalize(_ name: String) async {
        while !Task.isCancelled {
            do {
                if try await finalizeOnce(name) { return }
            } catch let error as APIError where error.reason == .notFound {
                return
            } catch is CancellationError {
                return
            } catch {
                logger.warning("finalizing namespace failed", metadata: ["namespace": "\(name)", "error": "\(error)"])
            }
            try? await Task.sleep(for: retryDelay)
        }
    }

    /// True when the namespace is gone.
    private func finalizeOnce(_ name: String) async throws -> Bool {
        var remaining = 0
        for endpoint in contents where endpoint.namespaced {
            remaining += try await endpoint.deleteCollection(namespace: name)
        }
        guard remaining == 0 else { return false }
        let registry = lifecycle.registry
        let namespace = try await registry.guaranteedUpdate(namespace: nil, name: name) { namespace in
            namespace.spec?.finalizers?.removeAll { $0 == Namespace.kubernetesFinalizer }
        }
        guard (namespace.spec?.finalizers ?? []).isEmpty, (namespace.metadata.finalizers ?? []).isEmpty else {
            return false
        }
        _ = try await registry.delete(namespace: nil, name: name)
        return true
    }
}
