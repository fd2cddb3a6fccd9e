import Foundation
import Logging
import Synchronization

/// The dedicated thread that owns the SQLite connection and commits writes in groups.
///
/// Callers enqueue jobs and suspend; the thread takes everything queued at once and runs
/// consecutive writes as one transaction (group commit): each write is checked in order against the
/// committed state plus the earlier writes of its group, failing alone on a conflict, and every
/// caller is resumed only after COMMIT (and its fsync) returned and the in-memory state was updated.
/// Blocking on fsync here keeps it off the Swift concurrency pool.
final class SQLiteEngine: @unchecked Sendable {
    // @unchecked: the queue is guarded by `condition`; the database and core are touched only by the
    // engine thread (the core's own methods are thread-safe).

    typealias WatchStream = AsyncThrowingStream<StoreEvent, any Error>

    enum Job {
        case write(WriteOperation, CheckedContinuation<StoredObject, any Error>)
        case watch(prefix: String, fromRevision: Int64, CheckedContinuation<WatchStream, any Error>)
        case compact(Int64, CheckedContinuation<Void, any Error>)
        case close
    }

    private enum Phase {
        case open, closing, closed
    }

    private let path: String
    private let configuration: SQLiteStore.Configuration
    private let logger: Logger
    private let counters = Mutex(SQLiteStore.Statistics())

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var phase = Phase.open
    private var closeWaiters: [CheckedContinuation<Void, Never>] = []

    // Engine thread only.
    private var database: SQLiteDatabase?
    private var core: StoreCore?

    init(path: String, configuration: SQLiteStore.Configuration, logger: Logger) {
        self.path = path
        self.configuration = configuration
        self.logger = logger
    }

    var statistics: SQLiteStore.Statistics {
        counters.withLock { $0 }
    }

    /// Starts the thread, which opens the database and loads it into a new core.
    func start() async throws -> StoreCore {
        try await withCheckedThrowingContinuation { (opened: CheckedContinuation<StoreCore, any Error>) in
            let thread = Thread { [self] in run(opened: opened) }
            thread.name = "orca-store-sqlite"
            thread.start()
        }
    }

    /// Enqueues a job made from a continuation and suspends until the thread resumes it.
    func submit<Value>(_ job: (CheckedContinuation<Value, any Error>) -> Job) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            guard phase == .open else {
                condition.unlock()
                continuation.resume(throwing: StoreError.closed)
                return
            }
            queue.append(job(continuation))
            condition.signal()
            condition.unlock()
        }
    }

    /// Lets queued jobs finish, closes the database and waits until it is closed.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            defer { condition.unlock() }
            switch phase {
            case .closed:
                continuation.resume()
            case .closing:
                closeWaiters.append(continuation)
            case .open:
                closeWaiters.append(continuation)
                requestClose()
            }
        }
    }

    /// Asks the thread to close without waiting (for a store released without `close()`).
    func shutdown() {
        condition.lock()
        defer { condition.unlock() }
        if phase == .open { requestClose() }
    }

    /// Must hold `condition`.
    private func requestClose() {
        phase = .closing
        queue.append(.close)
        condition.signal()
    }

    // MARK: Engine thread

    private func run(opened: CheckedContinuation<StoreCore, any Error>) {
        let core: StoreCore
        do {
            let database = try SQLiteDatabase(path: path)
            let snapshot: SQLiteDatabase.Snapshot
            do {
                snapshot = try database.load(historyCapacity: max(0, configuration.historyCacheSize))
            } catch {
                database.close()
                throw error
            }
            core = StoreCore(
                objects: snapshot.objects,
                revision: snapshot.revision,
                compactedRevision: snapshot.compactedRevision,
                history: snapshot.history,
                historyBase: snapshot.historyBase,
                historyCapacity: max(0, configuration.historyCacheSize),
                watchBufferLimit: configuration.watchBufferLimit,
                logger: logger
            )
            self.database = database
            self.core = core
            logger.info(
                "opened store",
                metadata: [
                    "path": "\(path)", "objects": "\(snapshot.objects.count)", "revision": "\(snapshot.revision)",
                    "compactedRevision": "\(snapshot.compactedRevision)",
                ]
            )
        } catch {
            condition.lock()
            phase = .closed
            condition.unlock()
            opened.resume(throwing: error)
            return
        }
        opened.resume(returning: core)

        while true {
            condition.lock()
            while queue.isEmpty { condition.wait() }
            let jobs = queue
            queue.removeAll(keepingCapacity: true)
            condition.unlock()

            var writes: [(WriteOperation, CheckedContinuation<StoredObject, any Error>)] = []
            for job in jobs {
                if case .write(let operation, let continuation) = job {
                    writes.append((operation, continuation))
                    continue
                }
                // Other jobs see exactly the writes queued before them.
                commit(writes)
                writes.removeAll()
                switch job {
                case .write:
                    break
                case .watch(let prefix, let fromRevision, let continuation):
                    continuation.resume(with: Result { try watch(prefix: prefix, fromRevision: fromRevision) })
                case .compact(let revision, let continuation):
                    continuation.resume(with: Result { try compact(upTo: revision) })
                case .close:
                    finishClosing()
                    return
                }
            }
            commit(writes)
        }
    }

    /// Checks a group of writes in order, commits the accepted ones in one transaction, then applies
    /// them in memory and resumes every caller.
    private func commit(_ writes: [(WriteOperation, CheckedContinuation<StoredObject, any Error>)]) {
        guard !writes.isEmpty, let core, let database else { return }
        var outcomes: [Result<StoredObject, any Error>] = []
        var events: [StoreEvent] = []
        do {
            var current = try core.objects(at: writes.map { $0.0.key })
            var revision = try core.revisions().current
            for (operation, _) in writes {
                switch operation.event(applyingTo: current[operation.key], at: revision + 1) {
                case .success(let event):
                    revision = event.revision
                    current[operation.key] = event.type == .deleted ? nil : event.object
                    events.append(event)
                    outcomes.append(.success(event.object))
                case .failure(let error):
                    outcomes.append(.failure(error))
                }
            }
            try database.commit(events)
        } catch {
            logger.error("write transaction failed", metadata: ["path": "\(path)", "error": "\(error)"])
            // Nothing was applied; the rejections may have depended on writes that are now lost.
            for (_, continuation) in writes { continuation.resume(throwing: error) }
            return
        }
        core.apply(events)
        counters.withLock { counters in
            counters.transactions += events.isEmpty ? 0 : 1
            counters.writes += events.count
            counters.largestGroup = max(counters.largestGroup, events.count)
        }
        for ((_, continuation), outcome) in zip(writes, outcomes) { continuation.resume(with: outcome) }
    }

    /// Starts a watch whose backlog is older than the in-memory history. Runs between write groups, so
    /// the log read here and the registration see the same revision.
    private func watch(prefix: String, fromRevision: Int64) throws -> WatchStream {
        guard let core, let database else { throw StoreError.closed }
        let (current, compacted) = try core.revisions()
        if fromRevision < compacted {
            throw StoreError.compacted(requested: fromRevision, compactedRevision: compacted)
        }
        let history = try database.events(after: fromRevision, through: current, prefix: prefix)
        return try core.watch(prefix: prefix, fromRevision: fromRevision, history: history, currentRevision: current)
    }

    private func compact(upTo revision: Int64) throws {
        guard let core, let database else { throw StoreError.closed }
        let (current, compacted) = try core.revisions()
        let target = min(revision, current)
        guard target > compacted else { return }
        try database.compact(through: target)
        core.compact(through: target)
        logger.debug("compacted store", metadata: ["path": "\(path)", "revision": "\(target)"])
    }

    private func finishClosing() {
        core?.close()
        database?.close()
        database = nil
        condition.lock()
        phase = .closed
        let waiters = closeWaiters
        closeWaiters = []
        condition.unlock()
        for waiter in waiters { waiter.resume() }
        logger.info("closed store", metadata: ["path": "\(path)"])
    }
}
