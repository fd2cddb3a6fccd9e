#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import OrcaAPI
import Synchronization

/// A cache of one kind kept in step with the master: list, then watch from the list's
/// resourceVersion; list again on 410 Gone or a broken stream; call the handlers on every
/// change, and all objects again every resync period.
///
/// Reads (`get`, `items`) are synchronous and cheap, for reconcilers. Handlers run on the
/// informer's task and should only enqueue keys.
public final class Informer<T: APIObject>: Sendable {
    /// What to call when the cache changes.
    public struct Handlers: Sendable {
        public var added: @Sendable (T) -> Void
        public var updated: @Sendable (_ old: T, _ new: T) -> Void
        public var deleted: @Sendable (T) -> Void

        public init(added: @escaping @Sendable (T) -> Void = { _ in },
                    updated: @escaping @Sendable (T, T) -> Void = { _, _ in },
                    deleted: @escaping @Sendable (T) -> Void = { _ in }) {
            self.added = added
            self.updated = updated
            self.deleted = deleted
        }

        /// The same function for every change, given the object's key: what controllers want.
        public static func enqueue(_ body: @escaping @Sendable (T) -> Void) -> Handlers {
            Handlers(added: body, updated: { _, new in body(new) }, deleted: body)
        }
    }

    public struct Configuration: Sendable {
        public var namespace: String?
        public var labelSelector: String?
        public var fieldSelector: String?
        /// Every period, `updated(old, old)` is called for every object (nil: never).
        public var resyncPeriod: Duration?
        /// The first wait after a failed list; doubles up to `maxBackoff`.
        public var backoff: Duration = .milliseconds(100)
        public var maxBackoff: Duration = .seconds(10)

        public init(namespace: String? = nil, labelSelector: String? = nil, fieldSelector: String? = nil,
                    resyncPeriod: Duration? = nil) {
            self.namespace = namespace
            self.labelSelector = labelSelector
            self.fieldSelector = fieldSelector
            self.resyncPeriod = resyncPeriod
        }
    }

    private struct State {
        var objects: [String: T] = [:]
        var handlers: [Handlers] = []
        var synced = false
        var syncWaiters: [(UUID, CheckedContinuation<Void, Never>)] = []
        var lists = 0
    }

    public let client: OrcaClient
    public let configuration: Configuration
    private let clock: any Clock<Duration>
    private let logger: Logger
    private let state = Mutex(State())

    public init(client: OrcaClient, configuration: Configuration = Configuration(),
                clock: any Clock<Duration> = ContinuousClock(), logger: Logger = Logger(label: "orca.informer")) {
        self.client = client
        self.configuration = configuration
        self.clock = clock
        var logger = logger
        logger[metadataKey: "kind"] = "\(T.kind)"
        self.logger = logger
    }

    /// `namespace/name` for namespaced kinds, `name` for the others: the key work queues use.
    public static func key(of object: T) -> String {
        key(namespace: object.metadata.namespace, name: object.metadata.name ?? "")
    }

    public static func key(namespace: String?, name: String) -> String {
        T.namespaced ? "\(namespace ?? "default")/\(name)" : name
    }

    /// Adds handlers; objects already cached are announced to them as added.
    public func addHandlers(_ handlers: Handlers) {
        let existing = state.withLock { state in
            state.handlers.append(handlers)
            return Array(state.objects.values)
        }
        for object in existing { handlers.added(object) }
    }

    public func get(_ key: String) -> T? { state.withLock { $0.objects[key] } }

    public func get(namespace: String?, name: String) -> T? { get(Self.key(namespace: namespace, name: name)) }

    /// The cached objects named `names` in `namespace`, read under one lock; names not cached are
    /// skipped. For a reconcile that reads hundreds of objects at once.
    public func get(namespace: String?, names: some Sequence<String>) -> [T] {
        let keys = names.map { Self.key(namespace: namespace, name: $0) }
        return state.withLock { state in keys.compactMap { state.objects[$0] } }
    }

    /// Every cached object, in no particular order.
    public var items: [T] { state.withLock { Array($0.objects.values) } }

    public var hasSynced: Bool { state.withLock { $0.synced } }

    /// How many lists the informer has made (the first, plus one per relist).
    public var listCount: Int { state.withLock { $0.lists } }

    /// Returns once the first list has filled the cache, or when the calling task is cancelled.
    public func waitUntilSynced() async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Bool in
                    if state.synced || Task.isCancelled { return true }
                    state.syncWaiters.append((id, continuation))
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard let i = state.syncWaiters.firstIndex(where: { $0.0 == id }) else { return nil }
                return state.syncWaiters.remove(at: i).1
            }
            waiter?.resume()
        }
    }

    /// Keeps the cache in step until the calling task is cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            if let period = configuration.resyncPeriod {
                group.addTask { await self.resyncLoop(every: period) }
            }
            group.addTask { await self.listAndWatchLoop() }
            await group.next()
            group.cancelAll()
        }
    }

    private func listAndWatchLoop() async {
        var delay = configuration.backoff
        while !Task.isCancelled {
            do {
                var resourceVersion = try await relist()
                delay = configuration.backoff
                // Watch until the stream breaks; a stream the server ends on its timeout resumes.
                while !Task.isCancelled {
                    let stream = client.watch(
                        T.self, namespace: configuration.namespace, labelSelector: configuration.labelSelector,
                        fieldSelector: configuration.fieldSelector, resourceVersion: resourceVersion)
                    for try await event in stream {
                        apply(event)
                        if let rv = event.object.metadata.resourceVersion { resourceVersion = rv }
                    }
                }
            } catch is CancellationError {
                return
            } catch let error as APIError where error.reason == .gone {
                logger.debug("watch expired; listing again", metadata: ["error": "\(error)"])
            } catch {
                if Task.isCancelled { return }
                logger.warning("list or watch failed; retrying", metadata: ["error": "\(error)", "in": "\(delay)"])
                do {
                    try await clock.sleep(for: delay)
                } catch {
                    return
                }
                delay = min(delay * 2, configuration.maxBackoff)
            }
        }
    }

    /// Lists, replaces the cache (announcing what changed), and returns the list's resourceVersion.
    private func relist() async throws -> String {
        let list = try await client.list(
            T.self, namespace: configuration.namespace, labelSelector: configuration.labelSelector,
            fieldSelector: configuration.fieldSelector)
        var fresh: [String: T] = [:]
        for object in list.items { fresh[Self.key(of: object)] = object }
        let (handlers, old, waiters) = state.withLock { state in
            let old = state.objects
            state.objects = fresh
            state.lists += 1
            state.synced = true
            let waiters = state.syncWaiters
            state.syncWaiters = []
            return (state.handlers, old, waiters)
        }
        for (key, object) in fresh {
            if let previous = old[key] {
                if previous.metadata.resourceVersion != object.metadata.resourceVersion {
                    for h in handlers { h.updated(previous, object) }
                }
            } else {
                for h in handlers { h.added(object) }
            }
        }
        for (key, object) in old where fresh[key] == nil {
            for h in handlers { h.deleted(object) }
        }
        for (_, waiter) in waiters { waiter.resume() }
        return list.metadata.resourceVersion ?? "0"
    }

    private func apply(_ event: WatchEvent<T>) {
        let key = Self.key(of: event.object)
        let (handlers, previous) = state.withLock { state -> ([Handlers], T?) in
            let previous = state.objects[key]
            switch event.type {
            case .added, .modified: state.objects[key] = event.object
            case .deleted: state.objects[key] = nil
            }
            return (state.handlers, previous)
        }
        for h in handlers {
            switch event.type {
            case .added, .modified:
                if let previous { h.updated(previous, event.object) } else { h.added(event.object) }
            case .deleted:
                h.deleted(event.object)
            }
        }
    }

    private func resyncLoop(every period: Duration) async {
        while !Task.isCancelled {
            do {
                try await clock.sleep(for: period)
            } catch {
                return
            }
            let (handlers, objects) = state.withLock { ($0.handlers, Array($0.objects.values)) }
            for object in objects {
                for h in handlers { h.updated(object, object) }
            }
        }
    }

    /// Every `period`, calls `handlers.updated(object, object)` for every cached object, until
    /// the calling task is cancelled: the resync of one consumer of a shared informer (see
    /// ``InformerFactory``), whose other consumers are not disturbed. Runs on the calling task.
    public func resync(every period: Duration, calling handlers: Handlers) async {
        while !Task.isCancelled {
            do {
                try await clock.sleep(for: period)
            } catch {
                return
            }
            for object in items { handlers.updated(object, object) }
        }
    }
}
