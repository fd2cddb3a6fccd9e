import Foundation
import OrcaAPI
import OrcaClient

extension MinionLifecycleLoop {
    /// Decides about one minion from the caches and carries it out. Throws when a write failed,
    /// so the work queue retries the minion with backoff.
    func sync(_ minion: String) async throws {
        guard let node = nodes.get(minion) else {
            state.withLock { $0.reconciler.forget(minion: minion) }
            return
        }
        let pods = pods(of: minion)
        let now = time.now
        let actions = state.withLock { $0.reconciler.reconcile(node, pods: pods, at: now) }
        guard !actions.isEmpty else { return }

        var podActions: [MinionLifecycleAction] = []
        for action in actions {
            if case .markNotReady(let name) = action {
                // Pods are failed only once the minion is marked (or found marked) NotReady.
                guard try await markNotReady(name, cached: node) else { return }
            } else {
                podActions.append(action)
            }
        }
        let outcome = await BoundedWrites.run(podActions, maxInFlight: configuration.maxConcurrentWrites) { action in
            switch action {
            case .failPod(let namespace, let name): try await self.failPod(namespace: namespace, name: name,
                                                                            minion: minion)
            case .deletePod(let namespace, let name): try await self.deletePod(namespace: namespace, name: name,
                                                                                minion: minion)
            case .markNotReady: break
            }
        }
        if let error = outcome.errors.first { throw error }
    }

    /// Sets the minion's `Ready` condition to `Unknown`: a compare-and-swap on the cached copy,
    /// and on a conflict once more on a freshly read copy whose heartbeat is checked again (a
    /// minion that heartbeated meanwhile is left alone). Returns whether the minion is (now)
    /// NotReady and lost.
    private func markNotReady(_ minion: String, cached: Node) async throws -> Bool {
        var node = cached
        for attempt in 0..<2 {
            let now = time.now
            let lost = state.withLock { state in
                state.reconciler.observe(node, at: now)
                return state.reconciler.liveness(of: minion, at: now) != .alive
            }
            guard lost else { return false }
            if node.readyCondition?.status == "Unknown" { return true }
            do {
                _ = try await client.updateStatus(MinionLifecycleReconciler.markedNotReady(node, at: .now()))
                break
            } catch let error as APIError where error.reason == .notFound {
                state.withLock { $0.reconciler.forget(minion: minion) }
                return false
            } catch let error as APIError where error.reason == .conflict && attempt == 0 {
                do {
                    node = try await client.get(Node.self, name: minion)
                } catch let error as APIError where error.reason == .notFound {
                    state.withLock { $0.reconciler.forget(minion: minion) }
                    return false
                }
            }
        }
        logger.warning("minion stopped posting status; marked NotReady", metadata: [
            "minion": "\(minion)", "grace": "\(configuration.minionGrace)",
        ])
        await record(Event(
            metadata: ObjectMeta(name: Self.eventName(for: minion), namespace: "default"),
            involvedObject: ObjectReference(kind: "Node", name: minion, uid: node.metadata.uid),
            reason: "NodeNotReady", message: "Minion \(minion) status is now: NotReady (stopped posting status)",
            source: EventSource(component: "minion-lifecycle"), type: "Warning"))
        return true
    }

    /// Fails a pod of a lost minion (`NodeLost`). A conflict reads the pod again and retries
    /// once, unless it has ended or moved meanwhile.
    private func failPod(namespace: String, name: String, minion: String) async throws {
        var pod = pods.get(namespace: namespace, name: name)
        for attempt in 0..<2 {
            if pod == nil || attempt > 0 {
                do {
                    pod = try await client.get(Pod.self, name: name, namespace: namespace)
                } catch let error as APIError where error.reason == .notFound {
                    return
                }
            }
            guard let current = pod, current.spec?.nodeName == minion, !current.isTerminal else { return }
            do {
                _ = try await client.updateStatus(MinionLifecycleReconciler.markedLost(current, minion: minion,
                                                                                       at: .now()))
                logger.info("pod failed: its minion is lost", metadata: [
                    "pod": "\(namespace)/\(name)", "minion": "\(minion)",
                ])
                return
            } catch let error as APIError where error.reason == .notFound {
                return
            } catch let error as APIError where error.reason == .conflict && attempt == 0 {
                continue
            }
        }
    }

    /// Deletes a pod of a minion lost for longer than the pod eviction timeout. A pod that no
    /// controller owns (a bare pod, such as the seed's Jenkins master) would then be gone for
    /// good: it is created again unbound, same name, labels and spec, for the scheduler to place
    /// on a live minion (beyond Kubernetes, which leaves that to the user).
    private func deletePod(namespace: String, name: String, minion: String) async throws {
        let pod = try? await client.get(Pod.self, name: name, namespace: namespace)
        do {
            try await client.delete(Pod.self, name: name, namespace: namespace)
        } catch let error as APIError where error.reason == .notFound {
            return
        }
        logger.info("pod deleted: its minion is lost", metadata: [
            "pod": "\(namespace)/\(name)", "minion": "\(minion)",
        ])
        if let pod, (pod.metadata.ownerReferences ?? []).isEmpty {
            var copy = Pod(metadata: ObjectMeta(name: name, namespace: namespace, labels: pod.metadata.labels),
                           spec: pod.spec, status: nil)
            copy.metadata.annotations = pod.metadata.annotations
            copy.spec?.nodeName = nil
            do {
                _ = try await client.create(copy, namespace: namespace)
                logger.info("pod created again for another minion", metadata: ["pod": "\(namespace)/\(name)"])
            } catch {
                logger.warning("cannot create the lost minion's pod again", metadata: [
                    "pod": "\(namespace)/\(name)", "error": "\(error)",
                ])
            }
        }
        await record(Event(
            metadata: ObjectMeta(name: Self.eventName(for: name), namespace: namespace),
            involvedObject: ObjectReference(kind: "Pod", namespace: namespace, name: name),
            reason: "MinionControllerEviction",
            message: "Deleting pod \(name) from lost minion \(minion)",
            source: EventSource(component: "minion-lifecycle"), type: "Normal"))
    }

    /// `object.<hex nanoseconds>`, the name Kubernetes' event recorder gives events.
    static func eventName(for object: String) -> String {
        let nanoseconds = UInt64(max(0, Date().timeIntervalSince1970 * 1_000_000_000))
        return "\(object).\(String(nanoseconds, radix: 16))"
    }

    /// Creates an event. Events are a courtesy to users: a failure to record one is logged and
    /// does not fail the sync (Kubernetes' event recorder drops them too).
    private func record(_ event: Event) async {
        var event = event
        event.firstTimestamp = .now()
        event.lastTimestamp = event.firstTimestamp
        do {
            _ = try await client.create(event)
        } catch {
            logger.debug("event not recorded", metadata: ["reason": "\(event.reason ?? "")", "error": "\(error)"])
        }
    }
}
