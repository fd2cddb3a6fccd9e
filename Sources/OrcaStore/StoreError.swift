/// Why a store operation failed. The API server maps these to HTTP statuses in one place.
public enum StoreError: Error, Sendable, Equatable {
    /// No object has this key (update, delete).
    case notFound(key: String)
    /// An object already has this key (create).
    case alreadyExists(key: String)
    /// The expected revision is not the object's current one; `currentRevision` is the one it has.
    /// Retrying with a fresh read can help.
    case conflict(key: String, currentRevision: Int64)
    /// A watch asked for history that compaction dropped; re-list and watch from the list's revision.
    case compacted(requested: Int64, compactedRevision: Int64)
    /// A watcher fell more than `limit` events behind and its stream was ended so it cannot hold
    /// writers back; re-list and watch again.
    case watcherTooSlow(limit: Int)
    /// The store was closed; nothing more can be read or written through it.
    case closed
    /// The storage failed (disk full, I/O error, not a database, locked by another process). The
    /// write was not applied; retrying may help once the cause is fixed.
    case io(String)
}

extension StoreError: CustomStringConvertible {
    /// A one-line explanation for logs and error messages.
    public var description: String {
        switch self {
        case .notFound(let key):
            "\(key) not found"
        case .alreadyExists(let key):
            "\(key) already exists"
        case .conflict(let key, let currentRevision):
            "\(key) was modified concurrently; its current revision is \(currentRevision)"
        case .compacted(let requested, let compactedRevision):
            "revision \(requested) is compacted; the oldest available history starts after \(compactedRevision)"
        case .watcherTooSlow(let limit):
            "the watcher fell more than \(limit) events behind"
        case .closed:
            "the store is closed"
        case .io(let message):
            "storage error: \(message)"
        }
    }
}
