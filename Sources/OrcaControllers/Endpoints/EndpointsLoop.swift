import Logging
import OrcaAPI
import OrcaClient
import Synchronization

/// One run of the ``EndpointsController``: its informers, work queue and indexes.
final class EndpointsLoop: Sendable {
    struct State {
        var podLabels = PodLabelIndex()
        var selectors = SelectorIndex()
        /// Endpoints as this controller last wrote them, until the informer has caught up: the
        /// next sync compares with (and writes over) these rather than a stale cached version.
        var written: [String: Endpoints] = [:]
    }

    let client: OrcaClient
    let configuration: EndpointsController.Configuration
    let logger: Logger
    let services: Informer<Service>
    let pods: Informer<Pod>
    let endpoints: Informer<Endpoints>
    let queue: WorkQueue<String>
    let feed: WorkQueueFeed<String>
    let reconciler = EndpointsReconciler()
    let state = Mutex(State())

    /// - Parameter informers: where the informers come from; whoever made it runs it.
    init(informers: InformerFactory, configuration: EndpointsController.Configuration, clock: any Clock<Duration>,
         logger: Logger) {
        self.client = informers.client
        self.configuration = configuration
        self.logger = logger
        services = informers.informer(Service.self, namespace: configuration.namespace)
        pods = informers.informer(Pod.self, namespace: configuration.namespace)
        endpoints = informers.informer(Endpoints.self, namespace: configuration.namespace)
        queue = WorkQueue(configuration: .init(baseDelay: configuration.retryDelay,
                                               maxDelay: configuration.maxRetryDelay), clock: clock)
        feed = WorkQueueFeed(queue: queue)
    }

    /// Runs until cancelled. The informers run elsewhere (their factory); this adds the handlers.
    func run() async {
        let serviceHandlers = Informer<Service>.Handlers(
            added: { [self] in serviceChanged($0) },
            updated: { [self] _, new in serviceChanged(new) },
            deleted: { [self] in serviceDeleted($0) })
        services.addHandlers(serviceHandlers)
        pods.addHandlers(.init(
            added: { [self] in podChanged(old: nil, new: $0) },
            updated: { [self] in podChanged(old: $0, new: $1) },
            deleted: { [self] in podDeleted($0) }))
        endpoints.addHandlers(.init(
            added: { [self] in endpointsChanged($0) },
            updated: { [self] _, new in endpointsChanged(new) },
            deleted: { [self] in endpointsDeleted($0) }))
        await withTaskGroup(of: Void.self) { group in
            if let period = configuration.resyncPeriod {
                group.addTask { await self.services.resync(every: period, calling: serviceHandlers) }
            }
            group.addTask { await self.feed.run() }
            group.addTask {
                await self.services.waitUntilSynced()
                await self.pods.waitUntilSynced()
                await self.endpoints.waitUntilSynced()
                guard !Task.isCancelled else { return }
                self.queueLeftoverEndpoints()
                await self.queue.run(workers: self.configuration.workers, onError: { key, error in
                    // Shutting down: in-flight requests end with a cancellation, not a failure.
                    if error is CancellationError || Task.isCancelled { return }
                    // A conflict only means a newer version exists; the retry reads it.
                    let level: Logger.Level = (error as? APIError)?.reason == .conflict ? .debug : .warning
                    self.logger.log(level: level, "reconcile failed; retrying", metadata: [
                        "service": "\(key)", "error": "\(error)",
                    ])
                }) { key in
                    try await self.sync(key)
                }
            }
            await group.waitForAll()
        }
    }

    // MARK: Informer handlers (bookkeeping and keys only)

    private func serviceChanged(_ service: Service) {
        state.withLock {
            $0.selectors.set(namespace: service.metadata.namespace ?? "default", name: service.metadata.name ?? "",
                             selector: service.spec?.selector)
        }
        feed.enqueue(Informer<Service>.key(of: service))
    }

    private func serviceDeleted(_ service: Service) {
        state.withLock {
            $0.selectors.remove(namespace: service.metadata.namespace ?? "default", name: service.metadata.name ?? "")
        }
        feed.enqueue(Informer<Service>.key(of: service))
    }

    private func podChanged(old: Pod?, new: Pod) {
        if let old, !Self.mattersToEndpoints(old: old, new: new) { return }
        let namespace = new.metadata.namespace ?? "default"
        let names = state.withLock { state -> Set<String> in
            state.podLabels.set(namespace: namespace, name: new.metadata.name ?? "",
                                labels: new.metadata.labels ?? [:])
            var names = Set(state.selectors.names(namespace: namespace, selecting: new.metadata.labels))
            if let old, old.metadata.labels != new.metadata.labels {
                names.formUnion(state.selectors.names(namespace: namespace, selecting: old.metadata.labels))
            }
            return names
        }
        for name in names.sorted() { feed.enqueue("\(namespace)/\(name)") }
    }

    private func podDeleted(_ pod: Pod) {
        let namespace = pod.metadata.namespace ?? "default"
        let names = state.withLock { state in
            state.podLabels.remove(namespace: namespace, name: pod.metadata.name ?? "")
            return state.selectors.names(namespace: namespace, selecting: pod.metadata.labels)
        }
        for name in names.sorted() { feed.enqueue("\(namespace)/\(name)") }
    }

    /// Endpoints of a selector service that someone else changed or deleted are put back.
    private func endpointsChanged(_ object: Endpoints) {
        let key = Informer<Endpoints>.key(of: object)
        guard let service = services.get(key), !(service.spec?.selector ?? [:]).isEmpty else { return }
        feed.enqueue(key)
    }

    private func endpointsDeleted(_ object: Endpoints) {
        let key = Informer<Endpoints>.key(of: object)
        state.withLock { _ = $0.written.removeValue(forKey: key) }
        endpointsChanged(object)
    }

    /// Queues the endpoints whose service is not in the cache, so ``sync(_:)`` removes them.
    private func queueLeftoverEndpoints() {
        for object in endpoints.items {
            let key = Informer<Endpoints>.key(of: object)
            if services.get(key) == nil { feed.enqueue(key) }
        }
    }

    /// Whether a pod update can change any endpoints: what the reconciler reads.
    static func mattersToEndpoints(old: Pod, new: Pod) -> Bool {
        old.metadata.labels != new.metadata.labels
            || old.status?.podIP != new.status?.podIP
            || old.hasReadyCondition != new.hasReadyCondition
            || old.isTerminal != new.isTerminal
            || old.isBeingDeleted != new.isBeingDeleted
            || old.spec?.nodeName != new.spec?.nodeName
            || old.metadata.uid != new.metadata.uid
            || old.spec?.containers.map(\.ports) != new.spec?.containers.map(\.ports)
    }
}

extension EndpointsLoop {
    /// Brings the endpoints of the service `key` in line with its pods; removes them when the
    /// service is gone. Throws a failed write, so the work queue retries with backoff.
    func sync(_ key: String) async throws {
        let (namespace, name) = ReplicationLoop.split(key)
        guard let service = services.get(key) else {
            state.withLock { _ = $0.written.removeValue(forKey: key) }
            try await deleteEndpoints(namespace: namespace, name: name)
            return
        }
        let selector = service.spec?.selector ?? [:]
        let podNames = state.withLock { $0.podLabels.names(namespace: namespace, matching: selector) }
        let matching = pods.get(namespace: namespace, names: podNames)
        guard let desired = reconciler.reconcile(service: service, pods: matching) else { return }
        if let current = current(key) {
            do {
                try await update(current, to: desired, key: key)
                return
            } catch let error as APIError where error.reason == .notFound {
                // Deleted behind the cache's back: create them again.
                state.withLock { _ = $0.written.removeValue(forKey: key) }
            }
        }
        do {
            remember(try await client.create(desired), key: key)
            logger.debug("created endpoints", metadata: ["service": "\(key)"])
        } catch let error as APIError where error.reason == .alreadyExists {
            // The cache has not seen them yet: compare with the stored ones.
            let stored = try await client.get(Endpoints.self, name: name, namespace: namespace)
            try await update(stored, to: desired, key: key)
        }
    }

    /// The newest endpoints known for `key`: the cache's, or this controller's own last write
    /// while the cache has not caught up with it.
    private func current(_ key: String) -> Endpoints? {
        let cached = endpoints.get(key)
        return state.withLock { state in
            guard let written = state.written[key] else { return cached }
            if let cached, Self.revision(cached) >= Self.revision(written) {
                state.written[key] = nil
                return cached
            }
            return written
        }
    }

    private func remember(_ written: Endpoints, key: String) {
        state.withLock { $0.written[key] = written }
    }

    private static func revision(_ object: Endpoints) -> Int64 {
        Int64(object.metadata.resourceVersion ?? "") ?? 0
    }

    private func update(_ current: Endpoints, to desired: Endpoints, key: String) async throws {
        guard !EndpointsReconciler.isUpToDate(current, desired: desired) else { return }
        var updated = current
        updated.subsets = desired.subsets
        updated.metadata.labels = desired.metadata.labels
        // Compare-and-swap on the version read: a conflict is retried with fresh state.
        remember(try await client.update(updated), key: key)
        logger.debug("updated endpoints", metadata: ["service": "\(key)"])
    }

    /// Deletes the endpoints `namespace/name` once the master confirms their service is gone.
    private func deleteEndpoints(namespace: String, name: String) async throws {
        do {
            _ = try await client.get(Service.self, name: name, namespace: namespace)
            return  // The cache is behind; the service's event queues the key again.
        } catch let error as APIError where error.reason == .notFound {}
        do {
            try await client.delete(Endpoints.self, name: name, namespace: namespace)
            logger.debug("deleted endpoints", metadata: ["service": "\(namespace)/\(name)"])
        } catch let error as APIError where error.reason == .notFound {}
    }
}
