import Foundation
import Logging
import OrcaAPI
import OrcaClient

extension ReplicationLoop {
    /// Reconciles the controller `key` (`namespace/name`) and performs the result. Throws the
    /// first failed write (after trying the others), so the work queue retries with backoff.
    func sync(_ key: String) async throws {
        let (namespace, name) = Self.split(key)
        guard let rc = controllers.get(key) else {
            // Deleted (or never seen): its pods go with it.
            state.withLock { $0.expectations.forget(key) }
            let owned = state.withLock { $0.owners.podNames(controlledBy: key) }
                .compactMap { pods.get(namespace: namespace, name: $0) }
            if !owned.isEmpty { try await collectGarbage(namespace: namespace, name: name, pods: owned) }
            return
        }
        let candidates = candidatePods(for: rc, key: key)
        // Pods of an earlier controller of the same name (deleted and created again).
        let predecessors = candidates.filter {
            ReplicationOwnerIndex.controllerKey(of: $0) == key && $0.controllerReference?.uid != rc.metadata.uid
        }
        if !predecessors.isEmpty { try await collectGarbage(namespace: namespace, name: name, pods: predecessors) }

        let now = time.now
        let satisfied = state.withLock { $0.expectations.isSatisfied(key, now: now) }
        let actions = reconciler.reconcile(rc: rc, pods: candidates, expectationsSatisfied: satisfied)
        if !satisfied, let wait = state.withLock({ $0.expectations.timeUntilExpiry(key, now: now) }) {
            // Events normally bring the key back sooner; this is for events that never come.
            await queue.add(key, after: wait)
        }
        if !actions.isEmpty {
            logger.debug("reconciled", metadata: ["rc": "\(key)", "actions": "\(actions.count)"])
        }
        try await perform(actions, for: rc, key: key, now: now)
    }

    /// The pods `rc` may count: those it controls and those its selector matches, from the cache.
    func candidatePods(for rc: ReplicationController, key: String) -> [Pod] {
        let namespace = rc.metadata.namespace ?? "default"
        let names = state.withLock { state in
            state.owners.podNames(controlledBy: key)
                .union(state.podLabels.names(namespace: namespace, matching: rc.spec?.selector ?? [:]))
        }
        return pods.get(namespace: namespace, names: names)
    }

    private func perform(_ actions: [ReplicationAction], for rc: ReplicationController, key: String,
                         now: Duration) async throws {
        var ownership: [Pod] = []
        var deletions: [String] = []
        var creations: [Pod] = []
        var status: ReplicationControllerStatus?
        for action in actions {
            switch action {
            case .adopt(let pod), .release(let pod): ownership.append(pod)
            case .delete(let name): deletions.append(name)
            case .create(let pod): creations.append(pod)
            case .updateStatus(let replicas, let ready, let generation):
                var new = rc.status ?? ReplicationControllerStatus()
                new.replicas = replicas
                new.readyReplicas = ready
                new.observedGeneration = generation
                status = new
            }
        }
        if !creations.isEmpty || !deletions.isEmpty {
            state.withLock {
                $0.expectations.expect(creations: creations.count, deletions: deletions, for: key, now: now)
            }
        }
        var errors: [any Error] = []
        errors += await writeOwnership(ownership)
        errors += await delete(deletions, namespace: rc.metadata.namespace ?? "default", key: key)
        errors += await create(creations, key: key)
        if let status {
            do {
                try await writeStatus(status, of: rc)
            } catch {
                errors.append(error)
            }
        }
        if let first = errors.first {
            for other in errors.dropFirst() {
                logger.debug("another write failed", metadata: ["rc": "\(key)", "error": "\(other)"])
            }
            throw first
        }
    }

    /// Adoptions and releases: compare-and-swap writes. A conflict or a vanished pod is not an
    /// error: the pod's own event queues the controller again with the fresh pod.
    private func writeOwnership(_ ownership: [Pod]) async -> [any Error] {
        guard !ownership.isEmpty else { return [] }
        let client = self.client
        let outcome = await BoundedWrites.run(ownership, maxInFlight: configuration.maxConcurrentWrites) { pod in
            do {
                _ = try await client.update(pod)
            } catch let error as APIError where error.reason == .conflict || error.reason == .notFound {
                return
            }
        }
        return outcome.errors
    }

    private func delete(_ names: [String], namespace: String, key: String) async -> [any Error] {
        guard !names.isEmpty else { return [] }
        logger.debug("deleting pods", metadata: ["rc": "\(key)", "pods": "\(names)"])
        let client = self.client
        let outcome = await BoundedWrites.run(names, maxInFlight: configuration.maxConcurrentWrites) { name in
            do {
                try await client.delete(Pod.self, name: name, namespace: namespace)
            } catch let error as APIError where error.reason == .notFound {
                return
            } catch {
                // No deletion event will come for it.
                self.state.withLock { $0.expectations.deletionObserved(pod: name, for: key) }
                throw error
            }
        }
        if outcome.attempted < names.count {
            state.withLock { state in
                for name in names[outcome.attempted...] { state.expectations.deletionObserved(pod: name, for: key) }
            }
        }
        return outcome.errors
    }

    private func create(_ pods: [Pod], key: String) async -> [any Error] {
        guard !pods.isEmpty else { return [] }
        logger.debug("creating pods", metadata: ["rc": "\(key)", "count": "\(pods.count)"])
        let client = self.client
        // The pods of one reconcile are copies of the template: encode each distinct one once.
        var bodies: [(path: String, body: Data)] = []
        var last: (pod: Pod, path: String, body: Data)?
        for pod in pods {
            if let last, last.pod == pod {
                bodies.append((last.path, last.body))
                continue
            }
            let path = APIPath.v1(Pod.self, namespace: pod.metadata.namespace ?? "default")
            let body = JSON.encode(pod)
            last = (pod, path, body)
            bodies.append((path, body))
        }
        let outcome = await BoundedWrites.run(bodies, maxInFlight: configuration.maxConcurrentWrites) { request in
            do {
                // The created pod comes back through the watch; the answer's copy is not decoded.
                _ = try await client.send(method: "POST", path: request.path, body: request.body)
            } catch {
                // No creation event will come for it.
                self.state.withLock { $0.expectations.creationObserved(for: key) }
                throw error
            }
        }
        let skipped = pods.count - outcome.attempted
        if skipped > 0 { state.withLock { $0.expectations.creationObserved(for: key, count: skipped) } }
        return outcome.errors
    }

    /// Writes the status unconditionally (no resourceVersion): only this manager writes it, and one
    /// key is never on two workers, so a concurrent spec change must not make it fail.
    private func writeStatus(_ status: ReplicationControllerStatus, of rc: ReplicationController) async throws {
        var updated = rc
        updated.status = status
        updated.metadata.resourceVersion = nil
        let path = APIPath.v1(ReplicationController.self, namespace: rc.metadata.namespace ?? "default",
                              name: rc.metadata.name ?? "", subresource: "status")
        do {
            // The written controller comes back through the watch; the answer's copy is not decoded.
            _ = try await client.send(method: "PUT", path: path, body: JSON.encode(updated))
        } catch let error as APIError where error.reason == .notFound {
            // Deleted meanwhile; its deletion event queues it again.
        }
    }

    /// Deletes `pods` of the controller `namespace/name` once the master confirms their controller
    /// is gone (no such controller, or one with another uid). The cache alone is not trusted to
    /// say a controller does not exist: it may not have seen it yet.
    private func collectGarbage(namespace: String, name: String, pods: [Pod]) async throws {
        let liveUID: String?
        do {
            liveUID = try await client.get(ReplicationController.self, name: name, namespace: namespace).metadata.uid
        } catch let error as APIError where error.reason == .notFound {
            liveUID = nil
        }
        let orphaned = pods.filter { liveUID == nil || $0.controllerReference?.uid != liveUID }
            .compactMap(\.metadata.name)
        guard !orphaned.isEmpty else { return }
        logger.info("deleting the pods of a deleted controller",
                    metadata: ["rc": "\(namespace)/\(name)", "pods": "\(orphaned.count)"])
        let client = self.client
        let outcome = await BoundedWrites.run(orphaned, maxInFlight: configuration.maxConcurrentWrites) { pod in
            do {
                try await client.delete(Pod.self, name: pod, namespace: namespace)
            } catch let error as APIError where error.reason == .notFound {
                return
            }
        }
        // After a failure the rest are skipped; the retry finds them again.
        if let error = outcome.errors.first { throw error }
    }

    static func split(_ key: String) -> (namespace: String, name: String) {
        guard let slash = key.firstIndex(of: "/") else { return ("default", key) }
        return (String(key[..<slash]), String(key[key.index(after: slash)...]))
    }
}
