import Logging
import OrcaAPI
import OrcaClient
import Synchronization

/// One run of the ``ReplicationManager``: its informers, work queue, indexes and expectations.
final class ReplicationLoop: Sendable {
    struct State {
        var expectations: ReplicationExpectations
        var podLabels = PodLabelIndex()
        var owners = ReplicationOwnerIndex()
        var selectors = SelectorIndex()
    }

    let client: OrcaClient
    let configuration: ReplicationManager.Configuration
    let logger: Logger
    let controllers: Informer<ReplicationController>
    let pods: Informer<Pod>
    let queue: WorkQueue<String>
    let feed: WorkQueueFeed<String>
    let reconciler: ReplicationReconciler
    let time: ControllerClock
    let state: Mutex<State>

    /// - Parameter informers: where the pod and controller informers come from; whoever made it runs it.
    init(informers: InformerFactory, configuration: ReplicationManager.Configuration, clock: any Clock<Duration>,
         logger: Logger) {
        self.client = informers.client
        self.configuration = configuration
        self.logger = logger
        controllers = informers.informer(ReplicationController.self, namespace: configuration.namespace)
        pods = informers.informer(Pod.self, namespace: configuration.namespace)
        queue = WorkQueue(configuration: .init(baseDelay: configuration.retryDelay,
                                               maxDelay: configuration.maxRetryDelay), clock: clock)
        feed = WorkQueueFeed(queue: queue, coalescing: configuration.coalescing, clock: clock)
        reconciler = ReplicationReconciler(configuration: .init(burstReplicas: configuration.burstReplicas))
        time = ControllerClock(clock)
        state = Mutex(State(expectations: ReplicationExpectations(ttl: configuration.expectationsTTL)))
    }

    /// Runs until cancelled. The informers run elsewhere (their factory); this adds the handlers.
    func run() async {
        let controllerHandlers = Informer<ReplicationController>.Handlers(
            added: { [self] in controllerChanged($0) },
            updated: { [self] old, new in
                // This manager's own status writes come back as updates; they change nothing to decide.
                if !Self.onlyStatusChanged(old: old, new: new) { controllerChanged(new) }
            },
            deleted: { [self] in controllerDeleted($0) })
        controllers.addHandlers(controllerHandlers)
        pods.addHandlers(.init(
            added: { [self] in podAdded($0) },
            updated: { [self] in podUpdated(old: $0, new: $1) },
            deleted: { [self] in podDeleted($0) }))
        await withTaskGroup(of: Void.self) { group in
            if let period = configuration.resyncPeriod {
                group.addTask { await self.controllers.resync(every: period, calling: controllerHandlers) }
            }
            group.addTask { await self.feed.run() }
            group.addTask {
                // Deciding before both caches are full would count missing pods that exist.
                await self.controllers.waitUntilSynced()
                await self.pods.waitUntilSynced()
                guard !Task.isCancelled else { return }
                self.logger.debug("caches synced; reconciling")
                await self.queue.run(workers: self.configuration.workers, onError: { key, error in
                    // Shutting down: in-flight requests end with a cancellation, not a failure.
                    if error is CancellationError || Task.isCancelled { return }
                    self.logger.warning("reconcile failed; retrying", metadata: [
                        "rc": "\(key)", "error": "\(error)",
                    ])
                }) { key in
                    try await self.sync(key)
                }
            }
            await group.waitForAll()
        }
    }

    // MARK: Informer handlers (bookkeeping and keys only)

    /// Whether a pod update can change a reconcile's outcome: what ``ReplicationReconciler`` counts
    /// (labels, owner, ended, being deleted, ready). A binding or a phase change within the live
    /// phases does not, and is most of the pod updates a busy cluster sees. (The order in which a
    /// surplus is deleted reads more, but a surplus is acted on when it appears, not when pods move.)
    static func mattersToReplication(old: Pod, new: Pod) -> Bool {
        old.metadata.labels != new.metadata.labels
            || old.metadata.ownerReferences != new.metadata.ownerReferences
            || old.metadata.uid != new.metadata.uid
            || old.isTerminal != new.isTerminal
            || old.isBeingDeleted != new.isBeingDeleted
            || old.hasReadyCondition != new.hasReadyCondition
    }

    /// Whether `new` is a later version of `old` that differs only in `status` (and the
    /// resourceVersion that came with it). A resync hands the same version twice: not this.
    static func onlyStatusChanged(old: ReplicationController, new: ReplicationController) -> Bool {
        guard old.metadata.resourceVersion != new.metadata.resourceVersion, old.spec == new.spec else { return false }
        var oldMeta = old.metadata, newMeta = new.metadata
        oldMeta.resourceVersion = nil
        newMeta.resourceVersion = nil
        return oldMeta == newMeta
    }

    private func controllerChanged(_ rc: ReplicationController) {
        state.withLock {
            $0.selectors.set(namespace: rc.metadata.namespace ?? "default", name: rc.metadata.name ?? "",
                             selector: rc.spec?.selector)
        }
        feed.enqueue(Informer<ReplicationController>.key(of: rc))
    }

    private func controllerDeleted(_ rc: ReplicationController) {
        state.withLock {
            $0.selectors.remove(namespace: rc.metadata.namespace ?? "default", name: rc.metadata.name ?? "")
        }
        feed.enqueue(Informer<ReplicationController>.key(of: rc))
    }

    private func podAdded(_ pod: Pod) {
        let keys = state.withLock { state -> [String] in
            state.index(pod)
            if let owner = ReplicationOwnerIndex.controllerKey(of: pod) {
                state.expectations.creationObserved(for: owner)
                if pod.isBeingDeleted { state.expectations.deletionObserved(pod: pod.metadata.name ?? "", for: owner) }
                return [owner]
            }
            return state.controllers(selecting: pod)
        }
        keys.forEach(feed.enqueue)
    }

    private func podUpdated(old: Pod, new: Pod) {
        guard old.metadata.resourceVersion != new.metadata.resourceVersion || old != new else { return }
        guard Self.mattersToReplication(old: old, new: new) else { return }
        let keys = state.withLock { state -> Set<String> in
            state.index(new)
            var keys: Set<String> = []
            let newOwner = ReplicationOwnerIndex.controllerKey(of: new)
            let oldOwner = ReplicationOwnerIndex.controllerKey(of: old)
            if let newOwner {
                keys.insert(newOwner)
                if new.isBeingDeleted && !old.isBeingDeleted {
                    state.expectations.deletionObserved(pod: new.metadata.name ?? "", for: newOwner)
                }
            } else {
                keys.formUnion(state.controllers(selecting: new))
                if old.metadata.labels != new.metadata.labels { keys.formUnion(state.controllers(selecting: old)) }
            }
            // A released or re-owned pod concerns its former controller too.
            if let oldOwner { keys.insert(oldOwner) }
            return keys
        }
        keys.sorted().forEach(feed.enqueue)
    }

    private func podDeleted(_ pod: Pod) {
        let keys = state.withLock { state -> [String] in
            state.unindex(pod)
            if let owner = ReplicationOwnerIndex.controllerKey(of: pod) {
                state.expectations.deletionObserved(pod: pod.metadata.name ?? "", for: owner)
                return [owner]
            }
            // An orphan that a controller counted while adopting it may be gone before the adoption;
            // and a pod whose owner reference someone removed is still one it waited to see go.
            let keys = state.controllers(selecting: pod)
            for key in keys { state.expectations.deletionObserved(pod: pod.metadata.name ?? "", for: key) }
            return keys
        }
        keys.forEach(feed.enqueue)
    }
}

extension ReplicationLoop.State {
    mutating func index(_ pod: Pod) {
        podLabels.set(namespace: pod.metadata.namespace ?? "default", name: pod.metadata.name ?? "",
                      labels: pod.metadata.labels ?? [:])
        owners.set(pod)
    }

    mutating func unindex(_ pod: Pod) {
        podLabels.remove(namespace: pod.metadata.namespace ?? "default", name: pod.metadata.name ?? "")
        owners.remove(pod)
    }

    /// Keys of the controllers whose selector matches `pod` (for pods without a controller).
    func controllers(selecting pod: Pod) -> [String] {
        let namespace = pod.metadata.namespace ?? "default"
        return selectors.names(namespace: namespace, selecting: pod.metadata.labels).map { "\(namespace)/\($0)" }
    }
}
