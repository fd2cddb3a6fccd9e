import Logging
import OrcaAPI
import OrcaClient

/// The machinery of one ``SchedulerService`` run: informers, the work queue, the pump from the
/// informers' signals into the queue, and the serial decide loop with its bounded writes.
final class SchedulingLoop: Sendable {
    /// What a decision asks to be written to the API.
    enum Verdict: Sendable {
        case nothing
        case bind(Pod, minion: String)
        case unschedulable(Pod, message: String, attempts: Int, writeCondition: Bool, writeEvent: Bool)
    }

    let client: OrcaClient
    let configuration: SchedulerService.Configuration
    let clock: any Clock<Duration>
    let logger: Logger

    let nodes: Informer<Node>
    let pods: Informer<Pod>
    let services: Informer<OrcaAPI.Service>
    let controllers: Informer<ReplicationController>
    let queue: WorkQueue<String>
    let cache = SchedulerCache()
    let feeder: SnapshotFeeder
    let signals: AsyncStream<SnapshotFeeder.Signal>

    /// - Parameter informers: where the informers come from; whoever made it runs it.
    init(informers: InformerFactory, configuration: SchedulerService.Configuration, clock: any Clock<Duration>,
         logger: Logger) {
        self.client = informers.client
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        nodes = informers.informer(Node.self)
        pods = informers.informer(Pod.self)
        services = informers.informer(OrcaAPI.Service.self)
        controllers = informers.informer(ReplicationController.self)
        queue = WorkQueue(clock: clock)
        let (signals, continuation) = AsyncStream.makeStream(of: SnapshotFeeder.Signal.self)
        self.signals = signals
        feeder = SnapshotFeeder(cache: cache, signals: continuation)
    }

    /// Runs until cancelled. The informers run elsewhere (their factory); this adds the handlers.
    func run() async {
        let handlers = feeder.handlers(for: nodes, pods: pods, services: services, controllers: controllers)
        await withTaskGroup(of: Void.self) { group in
            if let period = configuration.resyncPeriod {
                group.addTask { await self.nodes.resync(every: period, calling: handlers.nodes) }
                group.addTask { await self.pods.resync(every: period, calling: handlers.pods) }
                group.addTask { await self.services.resync(every: period, calling: handlers.services) }
                group.addTask { await self.controllers.resync(every: period, calling: handlers.controllers) }
            }
            group.addTask { await self.pump() }
            group.addTask { await self.decideLoop() }
            // Every child runs until cancellation; the first to end ends them all.
            await group.next()
            group.cancelAll()
        }
        feeder.signals.finish()
    }

    /// Moves the informers' signals into the work queue.
    private func pump() async {
        for await signal in signals {
            switch signal {
            case .pod(let key):
                await queue.add(key)
            case .retryUnschedulable:
                feeder.retryHandled()
                let keys = cache.unschedulableKeys
                if !keys.isEmpty { logger.debug("retrying unschedulable pods", metadata: ["count": "\(keys.count)"]) }
                for key in keys { await queue.add(key) }
            }
        }
    }

    /// Takes one pod at a time from the queue and decides; bindings and reports run concurrently
    /// (at most `bindingConcurrency`) while the next decisions are made.
    private func decideLoop() async {
        await withTaskCancellationHandler {
            await self.decideUntilShutDown()
        } onCancel: {
            Task { await self.queue.shutDown() }
        }
    }

    private func decideUntilShutDown() async {
        guard await waitUntilSynced() else { return }
        logger.info("scheduler synced", metadata: ["minions": "\(nodes.items.count)", "pods": "\(pods.items.count)"])
        let limit = max(1, configuration.bindingConcurrency)
        await withTaskGroup(of: Void.self) { writes in
            var inFlight = 0
            while let key = await queue.get() {
                let verdict = decide(key)
                await queue.done(key)
                guard let write = await write(for: verdict, key: key) else { continue }
                if inFlight >= limit {
                    await writes.next()
                    inFlight -= 1
                }
                writes.addTask(operation: write)
                inFlight += 1
            }
        }
    }

    /// The API write a verdict asks for (run concurrently); schedules an unschedulable pod's retry.
    private func write(for verdict: Verdict, key: String) async -> (@Sendable () async -> Void)? {
        switch verdict {
        case .nothing:
            return nil
        case .bind(let pod, let minion):
            return { await self.bind(pod, key: key, to: minion) }
        case .unschedulable(let pod, let message, let attempts, let condition, let event):
            await queue.add(key, after: unschedulableBackoff(attempts: attempts))
            guard condition || event else { return nil }
            return { await self.report(pod, key: key, message: message, condition: condition, event: event) }
        }
    }

    /// Waits for the first list of every informer, so no pod is judged against an empty cluster.
    /// Polls, because a wait for an informer's sync cannot be cancelled; false when cancelled.
    private func waitUntilSynced() async -> Bool {
        while !(nodes.hasSynced && pods.hasSynced && services.hasSynced && controllers.hasSynced) {
            do {
                try await Task.sleep(for: .milliseconds(10))
            } catch {
                return false
            }
        }
        return true
    }

    /// The decision for the pod with `key`, assumed into the snapshot when it names a minion.
    func decide(_ key: String) -> Verdict {
        guard let pod = pods.get(key), SnapshotFeeder.needsScheduling(pod) else { return .nothing }
        let request = PodRequest(pod: pod)
        return cache.withLock { state in
            // Its binding is in flight: the informer has not caught up yet.
            if state.snapshot.isAssumed(key) { return .nothing }
            let groupKeys = state.snapshot.spreadGroupKeys(of: pod)
            switch state.snapshot.schedule(request, groupKeys: groupKeys) {
            case .bind(let minion):
                state.snapshot.assume(pod: pod, request: request, groupKeys: groupKeys, on: minion)
                state.unschedulable[key] = nil
                return .bind(pod, minion: minion)
            case .unschedulable(let message):
                let attempts = state.unschedulable[key, default: 0] + 1
                state.unschedulable[key] = attempts
                // A condition that already says this was written before (perhaps by an earlier run).
                let existing = pod.status?.conditions?.first { $0.type == "PodScheduled" }
                let alreadySaid = existing?.status == "False" && existing?.message == message
                let writeCondition = !alreadySaid && state.reportedCondition[key] != message
                state.reportedCondition[key] = message
                var events = state.reportedEvents[key, default: []]
                let writeEvent = !alreadySaid && !events.contains(message)
                    && events.count < SchedulerCache.maxEventsPerPod
                if writeEvent {
                    events.insert(message)
                    state.reportedEvents[key] = events
                }
                return .unschedulable(pod, message: message, attempts: attempts, writeCondition: writeCondition,
                                      writeEvent: writeEvent)
            }
        }
    }

    /// `unschedulableBackoff * 2^(attempts-1)`, at most `maxUnschedulableBackoff`.
    func unschedulableBackoff(attempts: Int) -> Duration {
        var delay = configuration.unschedulableBackoff
        for _ in 1..<max(1, min(attempts, 32)) {
            delay *= 2
            if delay >= configuration.maxUnschedulableBackoff { return configuration.maxUnschedulableBackoff }
        }
        return min(delay, configuration.maxUnschedulableBackoff)
    }
}
