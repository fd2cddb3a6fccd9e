import Foundation
import Logging

/// An `ObjectStore` in memory, for unit tests and throwaway clusters: nothing survives the process.
///
/// Every write is applied under one lock, so it behaves exactly like the durable backends, including
/// the full watch history (kept until compaction) and per-watcher buffer bounds.
public final class InMemoryStore: ObjectStore {
    /// Options for an in-memory store.
    public struct Configuration: Sendable {
        /// How many events a watcher may have waiting, beyond its initial backlog, before its stream is
        /// failed with `StoreError.watcherTooSlow`.
        public var watchBufferLimit: Int

        /// - Parameter watchBufferLimit: see `watchBufferLimit`.
        public init(watchBufferLimit: Int = 10_000) {
            self.watchBufferLimit = watchBufferLimit
        }
    }

    private let core: StoreCore

    /// Makes an empty store at revision 0.
    public init(configuration: Configuration = Configuration(), logger: Logger = Logger(label: "orca.store.memory")) {
        core = StoreCore(historyCapacity: nil, watchBufferLimit: configuration.watchBufferLimit, logger: logger)
    }

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
        try core.write(.create(key: key, value: value))
    }

    /// See `ObjectStore.update(_:value:expectedRevision:)`.
    public func update(_ key: String, value: Data, expectedRevision: Int64?) async throws -> StoredObject {
        try core.write(.update(key: key, value: value, expectedRevision: expectedRevision))
    }

    /// See `ObjectStore.delete(_:expectedRevision:)`.
    public func delete(_ key: String, expectedRevision: Int64?) async throws -> StoredObject {
        try core.write(.delete(key: key, expectedRevision: expectedRevision))
    }

    /// See `ObjectStore.watch(prefix:fromRevision:)`.
    public func watch(prefix: String, fromRevision: Int64) async throws -> AsyncThrowingStream<StoreEvent, any Error> {
        switch try core.watch(prefix: prefix, fromRevision: max(0, fromRevision)) {
        case .started(let stream):
            return stream
        case .needsHistory:
            // The history is unbounded until compaction, and compaction is checked first.
            preconditionFailure("in-memory history lost events that were not compacted")
        }
    }

    /// See `ObjectStore.compact(upTo:)`.
    public func compact(upTo revision: Int64) async throws {
        let current = try core.revisions().current
        core.compact(through: min(revision, current))
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
        core.close()
    }
}
