import Foundation

/// A durable, watchable key-value store with one global revision, the API server's only storage.
///
/// Every create, update and delete gets the next revision (1, 2, 3, ...; 0 is the empty store),
/// never reused, even across restarts and compaction. Values are opaque bytes. All methods are safe
/// to call concurrently; a write returns only once it is applied (and, for durable backends,
/// on disk), and a read that starts after a write returned sees it.
public protocol ObjectStore: Sendable {
    /// The current object at `key`, or nil.
    func get(_ key: String) async throws -> StoredObject?

    /// Current objects whose key starts with `prefix` (byte-wise), sorted by key bytes, only keys
    /// greater than `startAfter`, at most `limit` of them (nil or less than 1: no limit); plus the
    /// store revision the read reflects and how many more match.
    func list(prefix: String, startAfter: String?, limit: Int?) async throws -> StoreListResult

    /// Creates `key`; throws `StoreError.alreadyExists` if it exists.
    func create(_ key: String, value: Data) async throws -> StoredObject

    /// Replaces the value at `key`. With `expectedRevision`, only if the object's revision is that one
    /// (compare-and-swap), else throws `StoreError.conflict` carrying the current revision.
    /// Throws `StoreError.notFound` if `key` does not exist.
    func update(_ key: String, value: Data, expectedRevision: Int64?) async throws -> StoredObject

    /// Deletes `key`, with the same compare-and-swap and not-found rules as `update`. Returns the
    /// deleted object (its last value) with `revision` set to the deletion's revision.
    func delete(_ key: String, expectedRevision: Int64?) async throws -> StoredObject

    /// Events for keys starting with `prefix` whose revision is greater than `fromRevision`, in
    /// revision order, with no gap and no duplicate: first the retained history, then live events.
    ///
    /// Throws `StoreError.compacted` if `fromRevision` is older than the compacted revision.
    /// The stream ends when the consumer cancels it or the store closes, and fails with
    /// `StoreError.watcherTooSlow` if the consumer falls too far behind (writers never wait for it).
    func watch(prefix: String, fromRevision: Int64) async throws -> AsyncThrowingStream<StoreEvent, any Error>

    /// Drops the history of revisions up to `revision` (clamped to the current revision); current
    /// objects are kept. Watches from older revisions then throw `StoreError.compacted`.
    func compact(upTo revision: Int64) async throws

    /// The revision of the last write (0 for an empty store).
    func currentRevision() async throws -> Int64

    /// The newest revision whose history was dropped (0 if never compacted).
    func compactedRevision() async throws -> Int64

    /// Finishes pending writes, ends every watch and releases the storage. Later calls throw
    /// `StoreError.closed`. Calling it again is harmless.
    func close() async
}

extension ObjectStore {
    /// Every current object whose key starts with `prefix`, in one page.
    public func list(prefix: String) async throws -> StoreListResult {
        try await list(prefix: prefix, startAfter: nil, limit: nil)
    }
}
