import Logging
import OrcaAPI
import OrcaClient

/// One pod watch for one or many hollow minions: an informer over the bound pods, handing each
/// pod to the minion it is bound to, and a work queue whose workers write the Running reports
/// (a key is never reported by two workers at once; a failed report comes back with backoff).
final class HollowPodFeed: Sendable {
    let informer: Informer<Pod>
    let queue: WorkQueue<String>
    let workers: Int
    let logger: Logger
    /// The minion of a node name, if it is one of ours.
    let minion: @Sendable (String) -> HollowMinion?
    private let keys: AsyncStream<String>
    private let keysIn: AsyncStream<String>.Continuation

    init(client: OrcaClient, fieldSelector: String, workers: Int, clock: any Clock<Duration>, logger: Logger,
         minion: @escaping @Sendable (String) -> HollowMinion?) {
        informer = Informer(client: client, configuration: .init(fieldSelector: fieldSelector), clock: clock,
                            logger: logger)
        queue = WorkQueue(configuration: .init(baseDelay: .milliseconds(20), maxDelay: .seconds(5)), clock: clock)
        self.workers = workers
        self.logger = logger
        self.minion = minion
        (keys, keysIn) = AsyncStream.makeStream()
    }

    /// Queues the pod `key` for a report (handlers are synchronous; the queue is an actor).
    func enqueue(_ key: String) {
        keysIn.yield(key)
    }

    var hasSynced: Bool { informer.hasSynced }

    /// Watches and reports until cancelled.
    func run() async {
        informer.addHandlers(.init(
            added: { [self] in changed($0) },
            updated: { [self] _, new in changed(new) },
            deleted: { [self] pod in
                if let node = pod.spec?.nodeName { minion(node)?.forget(pod) }
            }))
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.informer.run() }
            group.addTask {
                for await key in self.keys { await self.queue.add(key) }
            }
            group.addTask {
                await self.queue.run(workers: self.workers, onError: { key, error in
                    self.logger.debug("pod report failed; retrying", metadata: ["pod": "\(key)", "error": "\(error)"])
                }) { key in
                    try await self.report(key)
                }
            }
            await group.waitForAll()
        }
    }

    private func changed(_ pod: Pod) {
        guard let node = pod.spec?.nodeName, let minion = minion(node) else { return }
        if minion.track(pod) { enqueue(pod.cacheKey) }
    }

    private func report(_ key: String) async throws {
        guard let pod = informer.get(key), let node = pod.spec?.nodeName, let minion = minion(node) else { return }
        try await minion.report(pod)
    }
}
