import OrcaAPI
import OrcaClient
import Synchronization

/// What the informers' handlers do: update the snapshot at once (synchronously, under the cache's
/// lock) and signal the pump, which feeds the work queue.
///
/// Handlers run on the informers' tasks, so they never wait: they only take the lock and yield
/// to an unbounded stream.
final class SnapshotFeeder: Sendable {
    enum Signal: Sendable {
        /// This pod may need a decision.
        case pod(String)
        /// The cluster changed in a way that may let unschedulable pods fit: try them all again.
        case retryUnschedulable
    }

    let cache: SchedulerCache
    let signals: AsyncStream<Signal>.Continuation
    /// Set while a `retryUnschedulable` is signalled but not yet handled, so a burst of changes
    /// requeues the unschedulable pods once.
    let retryPending: Mutex<Bool>

    init(cache: SchedulerCache, signals: AsyncStream<Signal>.Continuation) {
        self.cache = cache
        self.signals = signals
        self.retryPending = Mutex(false)
    }

    /// An unbound pod the scheduler should place: not being deleted, phase `Pending`.
    static func needsScheduling(_ pod: Pod) -> Bool {
        (pod.spec?.nodeName ?? "").isEmpty && pod.metadata.deletionTimestamp == nil
            && (pod.status?.phase ?? .pending) == .pending
    }

    func minionSeen(_ node: Node) {
        let changed = cache.withLock { $0.snapshot.update(minion: node) }
        if changed { requestRetry() }
    }

    func minionGone(_ node: Node) {
        cache.withLock { _ = $0.snapshot.removeMinion(named: node.metadata.name ?? "") }
    }

    func podSeen(_ pod: Pod) {
        let key = Informer<Pod>.key(of: pod)
        let pending = Self.needsScheduling(pod)
        let freed = cache.withLock { state in
            if !pending {
                state.unschedulable[key] = nil
                state.reportedEvents[key] = nil
                state.reportedCondition[key] = nil
            }
            return state.snapshot.update(pod: pod)
        }
        if pending { signals.yield(.pod(key)) }
        if freed { requestRetry() }
    }

    func podGone(_ pod: Pod) {
        let key = Informer<Pod>.key(of: pod)
        let freed = cache.withLock { state in
            state.unschedulable[key] = nil
            state.reportedEvents[key] = nil
            state.reportedCondition[key] = nil
            return state.snapshot.remove(podWithKey: key)
        }
        if freed { requestRetry() }
    }

    func selectorSeen(_ selector: [String: String]?, kind: String, metadata: ObjectMeta) {
        cache.withLock { state in
            state.snapshot.setSpreadSelector(
                selector, kind: kind, namespace: metadata.namespace ?? "default", name: metadata.name ?? "")
        }
    }

    func requestRetry() {
        let first = retryPending.withLock { pending in
            defer { pending = true }
            return !pending
        }
        if first { signals.yield(.retryUnschedulable) }
    }

    /// Called by the pump before it requeues the unschedulable pods.
    func retryHandled() {
        retryPending.withLock { $0 = false }
    }

    /// The handlers the feeder adds to each informer (a resync calls them again).
    struct InformerHandlers: Sendable {
        var nodes: Informer<Node>.Handlers
        var pods: Informer<Pod>.Handlers
        var services: Informer<OrcaAPI.Service>.Handlers
        var controllers: Informer<ReplicationController>.Handlers
    }

    /// Adds the feeder's handlers to the informers and returns them.
    @discardableResult
    func handlers(for nodes: Informer<Node>, pods: Informer<Pod>, services: Informer<OrcaAPI.Service>,
                  controllers: Informer<ReplicationController>) -> InformerHandlers {
        let handlers = InformerHandlers(
            nodes: .init(
                added: { self.minionSeen($0) }, updated: { _, node in self.minionSeen(node) },
                deleted: { self.minionGone($0) }),
            pods: .init(
                added: { self.podSeen($0) }, updated: { _, pod in self.podSeen(pod) },
                deleted: { self.podGone($0) }),
            services: .init(
                added: { self.selectorSeen($0.spec?.selector, kind: "Service", metadata: $0.metadata) },
                updated: { _, new in
                    self.selectorSeen(new.spec?.selector, kind: "Service", metadata: new.metadata)
                },
                deleted: { self.selectorSeen(nil, kind: "Service", metadata: $0.metadata) }),
            controllers: .init(
                added: { self.selectorSeen($0.spec?.selector, kind: "ReplicationController", metadata: $0.metadata) },
                updated: { _, new in
                    self.selectorSeen(new.spec?.selector, kind: "ReplicationController", metadata: new.metadata)
                },
                deleted: { self.selectorSeen(nil, kind: "ReplicationController", metadata: $0.metadata) }))
        nodes.addHandlers(handlers.nodes)
        pods.addHandlers(handlers.pods)
        services.addHandlers(handlers.services)
        controllers.addHandlers(handlers.controllers)
        return handlers
    }
}
