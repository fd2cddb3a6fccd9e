import Logging
import OrcaAPI
import OrcaClient
import Synchronization

/// One run of the ``MinionLifecycleController``: its informers, heartbeat record, pod index,
/// periodic check and work queue.
final class MinionLifecycleLoop: Sendable {
    struct State {
        var reconciler: MinionLifecycleReconciler
        /// Keys (`namespace/name`) of the pods bound to each minion.
        var podsByMinion: [String: Set<String>] = [:]
    }

    let client: OrcaClient
    let configuration: MinionLifecycleController.Configuration
    let logger: Logger
    let clock: any Clock<Duration>
    let nodes: Informer<Node>
    let pods: Informer<Pod>
    let queue: WorkQueue<String>
    let time: ControllerClock
    let state: Mutex<State>

    /// - Parameter informers: where the node and pod informers come from; whoever made it runs it.
    init(informers: InformerFactory, configuration: MinionLifecycleController.Configuration,
         clock: any Clock<Duration>, logger: Logger) {
        self.client = informers.client
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        nodes = informers.informer(Node.self)
        // Every pod, shared with the other loops; only bound ones are indexed (see `index`).
        pods = informers.informer(Pod.self)
        queue = WorkQueue(configuration: .init(baseDelay: configuration.retryDelay,
                                               maxDelay: configuration.maxRetryDelay), clock: clock)
        time = ControllerClock(clock)
        state = Mutex(State(reconciler: MinionLifecycleReconciler(
            minionGrace: configuration.minionGrace, podEvictionTimeout: configuration.podEvictionTimeout)))
    }

    var hasSynced: Bool { nodes.hasSynced && pods.hasSynced }

    func silence(of minion: String) -> Duration? {
        let now = time.now
        return state.withLock { $0.reconciler.silence(of: minion, at: now) }
    }

    /// Runs until cancelled. The informers run elsewhere (their factory); this adds the handlers.
    func run() async {
        nodes.addHandlers(.init(
            added: { [self] in observe($0) },
            updated: { [self] _, new in observe(new) },
            deleted: { [self] in forget($0) }))
        pods.addHandlers(.init(
            added: { [self] in index(nil, $0) },
            updated: { [self] in index($0, $1) },
            deleted: { [self] in index($0, nil) }))
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // Deciding before both caches are full would miss heartbeats and pods that exist.
                await self.nodes.waitUntilSynced()
                await self.pods.waitUntilSynced()
                guard !Task.isCancelled else { return }
                self.logger.debug("caches synced; checking minions")
                await withTaskGroup(of: Void.self) { inner in
                    inner.addTask { await self.checkLoop() }
                    inner.addTask {
                        await self.queue.run(workers: self.configuration.workers, onError: { minion, error in
                            self.logger.warning("minion sync failed; retrying", metadata: [
                                "minion": "\(minion)", "error": "\(error)",
                            ])
                        }) { minion in
                            try await self.sync(minion)
                        }
                    }
                    await inner.waitForAll()
                }
            }
            await group.waitForAll()
        }
    }

    // MARK: Informer handlers (bookkeeping only)

    private func observe(_ node: Node) {
        let now = time.now
        state.withLock { _ = $0.reconciler.observe(node, at: now) }
    }

    private func forget(_ node: Node) {
        guard let name = node.metadata.name else { return }
        state.withLock { $0.reconciler.forget(minion: name) }
    }

    private func index(_ old: Pod?, _ new: Pod?) {
        let oldNode = old?.spec?.nodeName ?? ""
        let newNode = new?.spec?.nodeName ?? ""
        guard let key = (new ?? old)?.cacheKey else { return }
        state.withLock { state in
            if !oldNode.isEmpty, oldNode != newNode {
                state.podsByMinion[oldNode]?.remove(key)
                if state.podsByMinion[oldNode]?.isEmpty == true { state.podsByMinion[oldNode] = nil }
            }
            if !newNode.isEmpty {
                state.podsByMinion[newNode, default: []].insert(key)
            }
        }
    }

    /// The cached pods bound to `minion`.
    func pods(of minion: String) -> [Pod] {
        let keys = state.withLock { $0.podsByMinion[minion] ?? [] }
        return keys.compactMap { pods.get($0) }.filter { $0.spec?.nodeName == minion }
    }

    // MARK: The periodic check

    /// Every check interval (on ticks aligned to the controller's start, so a slow check does
    /// not push the next one back), queues the minions silent past the grace period.
    private func checkLoop() async {
        let interval = configuration.checkInterval
        var next = time.now + interval
        while !Task.isCancelled {
            do {
                try await clock.sleep(for: max(.zero, next - time.now))
            } catch {
                return
            }
            let now = time.now
            while next <= now { next += interval }
            for minion in silentMinions(at: now) {
                await queue.add(minion)
            }
        }
    }

    /// The cached minions (observed now if new) that are not alive at `now`.
    func silentMinions(at now: Duration) -> [String] {
        let cached = nodes.items
        return state.withLock { state in
            var silent: [String] = []
            for node in cached {
                guard let name = node.metadata.name else { continue }
                state.reconciler.observe(node, at: now)
                if state.reconciler.liveness(of: name, at: now) != .alive { silent.append(name) }
            }
            return silent
        }
    }
}
