import Logging
import Synchronization

/// The committed state that both backends serve reads and watches from: current objects, revisions,
/// recent history and open watches, under one lock.
///
/// A backend changes it only with writes that are final (for SQLite: committed), so reads never
/// see a write that could still be lost. Streams are finished only outside the lock, because
/// finishing one runs its termination handler, which takes the lock.
final class StoreCore: Sendable {
    /// How a watch request can start.
    enum WatchStart: Sendable {
        /// Registered; its backlog came from the in-memory history.
        case started(AsyncThrowingStream<StoreEvent, any Error>)
        /// The in-memory history does not reach back to the requested revision: the backend must read
        /// older events from storage and call `watch(prefix:fromRevision:history:currentRevision:)`.
        case needsHistory
    }

    private struct State: ~Copyable {
        var objects: ObjectIndex
        var revision: Int64
        var compactedRevision: Int64
        var history: EventHistory
        var watchers: WatcherRegistry
        var isClosed = false

        func checkOpen() throws(StoreError) {
            if isClosed { throw .closed }
        }

        func checkWatchable(from revision: Int64) throws(StoreError) {
            try checkOpen()
            if revision < compactedRevision {
                throw .compacted(requested: revision, compactedRevision: compactedRevision)
            }
        }
    }

    private let state: Mutex<State>
    private let logger: Logger

    /// - Parameters:
    ///   - history: the events after `historyBase`, contiguous, up to `revision`.
    ///   - historyCapacity: how many recent events to keep in memory; nil keeps all until compaction.
    init(
        objects: [StoredObject] = [],
        revision: Int64 = 0,
        compactedRevision: Int64 = 0,
        history: [StoreEvent] = [],
        historyBase: Int64 = 0,
        historyCapacity: Int?,
        watchBufferLimit: Int,
        logger: Logger
    ) {
        precondition(historyBase + Int64(history.count) == revision, "history must end at the current revision")
        state = Mutex(
            State(
                objects: ObjectIndex(objects),
                revision: revision,
                compactedRevision: compactedRevision,
                history: EventHistory(baseRevision: historyBase, events: history, capacity: historyCapacity),
                watchers: WatcherRegistry(bufferLimit: max(1, watchBufferLimit))
            )
        )
        self.logger = logger
    }

    // MARK: Reads

    func get(_ key: String) throws(StoreError) -> StoredObject? {
        try state.withLock { state throws(StoreError) in
            try state.checkOpen()
            return state.objects[key]
        }
    }

    func list(prefix: String, startAfter: String?, limit: Int?) throws(StoreError) -> StoreListResult {
        try state.withLock { state throws(StoreError) in
            try state.checkOpen()
            let page = state.objects.list(prefix: prefix, startAfter: startAfter, limit: limit)
            return StoreListResult(items: page.items, revision: state.revision, remainingCount: page.remaining)
        }
    }

    func revisions() throws(StoreError) -> (current: Int64, compacted: Int64) {
        try state.withLock { state throws(StoreError) in
            try state.checkOpen()
            return (state.revision, state.compactedRevision)
        }
    }

    /// The current objects at `keys`, read under one lock (for checking a batch of writes).
    func objects(at keys: some Sequence<String>) throws(StoreError) -> [String: StoredObject] {
        try state.withLock { state throws(StoreError) in
            try state.checkOpen()
            var found: [String: StoredObject] = [:]
            for key in keys { found[key] = state.objects[key] }
            return found
        }
    }

    // MARK: Writes

    /// Checks and applies one write at the next revision (for backends whose writes are final at once).
    func write(_ operation: WriteOperation) throws(StoreError) -> StoredObject {
        typealias Outcome = (Result<StoredObject, StoreError>, [WatcherRegistry.Ending])
        let (result, endings) = state.withLock { state -> Outcome in
            if state.isClosed { return (.failure(.closed), []) }
            switch operation.event(applyingTo: state.objects[operation.key], at: state.revision + 1) {
            case .success(let event):
                return (.success(event.object), Self.apply(CollectionOfOne(event), to: &state))
            case .failure(let error):
                return (.failure(error), [])
            }
        }
        finish(endings)
        return try result.get()
    }

    /// Applies committed events, which must continue the revision sequence, and publishes them.
    func apply(_ events: [StoreEvent]) {
        guard !events.isEmpty else { return }
        let endings = state.withLock { state in Self.apply(events, to: &state) }
        finish(endings)
    }

    private static func apply(
        _ events: some Collection<StoreEvent>,
        to state: inout State
    ) -> [WatcherRegistry.Ending] {
        for event in events {
            precondition(event.revision == state.revision + 1, "revisions must increase by one")
            state.objects.apply(event)
            state.history.append(event)
            state.revision = event.revision
        }
        return state.watchers.publish(events)
    }

    /// Records a compaction through `revision` (already clamped to the current revision).
    func compact(through revision: Int64) {
        state.withLock { state in
            guard revision > state.compactedRevision else { return }
            state.compactedRevision = revision
            state.history.drop(through: revision)
        }
    }

    // MARK: Watches

    /// Starts a watch from the in-memory history if it reaches back far enough.
    func watch(prefix: String, fromRevision: Int64) throws(StoreError) -> WatchStart {
        try state.withLock { state throws(StoreError) -> WatchStart in
            try state.checkWatchable(from: fromRevision)
            guard state.history.covers(after: fromRevision) else {
                return .needsHistory
            }
            let backlog = state.history.events(after: fromRevision, prefix: prefix)
            return .started(register(prefix: prefix, fromRevision: fromRevision, backlog: backlog, in: &state))
        }
    }

    /// Starts a watch whose backlog the backend read from storage: `history` holds the matching events
    /// after `fromRevision` up to `currentRevision`, which must still be the current revision.
    func watch(
        prefix: String,
        fromRevision: Int64,
        history: [StoreEvent],
        currentRevision: Int64
    ) throws(StoreError) -> AsyncThrowingStream<StoreEvent, any Error> {
        try state.withLock { state throws(StoreError) in
            try state.checkWatchable(from: fromRevision)
            precondition(state.revision == currentRevision, "a write slipped in while reading watch history")
            return register(prefix: prefix, fromRevision: fromRevision, backlog: history, in: &state)
        }
    }

    private func register(
        prefix: String,
        fromRevision: Int64,
        backlog: [StoreEvent],
        in state: inout State
    ) -> AsyncThrowingStream<StoreEvent, any Error> {
        // Live events are filtered from the later of the two, so a watch from the future waits.
        let liveFrom = max(fromRevision, state.revision)
        return state.watchers.add(prefix: prefix, fromRevision: liveFrom, backlog: backlog) { [weak self] id in
            self?.state.withLock { $0.watchers.remove(id) }
        }
    }

    // MARK: Lifecycle

    /// Marks the store closed and ends every watch. Returns false if it was already closed.
    @discardableResult
    func close() -> Bool {
        let endings: [WatcherRegistry.Ending]? = state.withLock { state in
            guard !state.isClosed else { return nil }
            state.isClosed = true
            return state.watchers.removeAll()
        }
        guard let endings else { return false }
        finish(endings)
        return true
    }

    private func finish(_ endings: [WatcherRegistry.Ending]) {
        for ending in endings {
            if let error = ending.error {
                logger.warning("ending a slow watch; its client must re-list", metadata: ["reason": "\(error)"])
            }
            ending.finish()
        }
    }
}
