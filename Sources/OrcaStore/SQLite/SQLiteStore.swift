import Foundation
import Logging

/// The durable `ObjectStore`: one SQLite file in write-ahead-log mode, fsynced at every commit.
///
/// A write returns only once its transaction is on disk, so it survives `kill -9` and power loss.
/// Writes are committed in groups on a dedicated thread (see `SQLiteEngine`); reads are served from
/// an in-memory copy of the committed state and never touch disk. The file is locked to this
/// process while the store is open; a second opener fails with `StoreError.io`.
public final class SQLiteStore: ObjectStore {
    /// Options for a SQLite store.
    public struct Configuration: Sendable {
        /// How many events a watcher may have waiting, beyond its initial backlog, before its stream is
        /// failed with `StoreError.watcherTooSlow`.
        public var watchBufferLimit: Int
        /// How many recent events to keep in memory; watches from older revisions read the log on disk.
        public var historyCacheSize: Int

        /// - Parameters:
        ///   - watchBufferLimit: see `watchBufferLimit`.
        ///   - historyCacheSize: see `historyCacheSize`.
        public init(watchBufferLimit: Int = 10_000, historyCacheSize: Int = 10_000) {
            self.watchBufferLimit = watchBufferLimit
            self.historyCacheSize = historyCacheSize
        }
    }

    /// Counters of committed work; `writes / transactions` is the mean size of a commit group.
    public struct Statistics: Sendable, Equatable {
        /// Write transactions committed.
        public var transactions = 0
        /// Writes committed (accepted creates, updates and deletes).
        public var writes = 0
        /// The most writes committed in one transaction.
        public var largestGroup = 0
    }

    /// The database file.
    public let path: String
    private let engine: SQLiteEngine
    private let core: StoreCore

    /// Opens the store at `path`, creating the file if needed, and loads its current state.
    ///
    /// Throws `StoreError.io` with SQLite's reason if the file is not a store database, is locked by
    /// another process, or cannot be read.
    public init(
        path: String,
        configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "orca.store.sqlite")
    ) async throws {
        self.path = path
        engine = SQLiteEngine(path: path, configuration: configuration, logger: logger)
        core = try await engine.start()
    }

    deinit {
        engine.shutdown()
    }

    /// Commit counters since the store was opened.
    public var statistics: Statistics { engine.statistics }

    /// See `ObjectStore.get(_:)`.
    public func get(_ key: String) async throws -> StoredObject? {
        try core.get(key)
    }

    /// See `ObjectStore.list(prefix:startAfter:limit:)`.
    public func list(prefix: String, startAfter: String?, limit: Int?) async throws -> StoreListResult {
        try core.list(prefix: prefix, startAfter: startAfter, limit: limit)
    }

    /// See `ObjectStore.create(_:value:)`.
    public func create(_ key: String, value: Data) async throws -> StoredObject {
        try await engine.submit { .write(.create(key: key, value: value), $0) }
    }

    /// See `ObjectStore.update(_:value:expectedRevision:)`.
    public func update(_ key: String, value: Data, expectedRevision: Int64?) async throws -> StoredObject {
        try await engine.submit { .write(.update(key: key, value: value, expectedRevision: expectedRevision), $0) }
    }

    /// See `ObjectStore.delete(_:expectedRevision:)`.
    public func delete(_ key: String, expectedRevision: Int64?) async throws -> StoredObject {
        try await engine.submit { .write(.delete(key: key, expectedRevision: expectedRevision), $0) }
    }

    /// See `ObjectStore.watch(prefix:fromRevision:)`.
    public func watch(prefix: String, fromRevision: Int64) async throws -> AsyncThrowingStream<StoreEvent, any Error> {
        let fromRevision = max(0, fromRevision)
        switch try core.watch(prefix: prefix, fromRevision: fromRevision) {
        case .started(let stream):
            return stream
        case .needsHistory:
            return try await engine.submit { .watch(prefix: prefix, fromRevision: fromRevision, $0) }
        }
    }

    /// See `ObjectStore.compact(upTo:)`.
    public func compact(upTo revision: Int64) async throws {
        try await engine.submit { .compact(revision, $0) }
    }

    /// See `ObjectStore.currentRevision()`.
    public func currentRevision() async throws -> Int64 {
        try core.revisions().current
    }

    /// See `ObjectStore.compactedRevision()`.
    public func compactedRevision() async throws -> Int64 {
        try core.revisions().compacted
    }

    /// See `ObjectStore.close()`.
    public func close() async {
        await engine.close()
    }
}
