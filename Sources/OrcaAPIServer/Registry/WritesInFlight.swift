import Foundation
import OrcaAPI
import Synchronization

/// The objects a registry is writing right now, by store key, with the bytes they are stored as.
///
/// The store hands each committed write to the watchers before it answers the writer, so the
/// watch path would decode bytes whose object the writer still holds. It takes the object from
/// here instead (when the bytes match), which saves a JSON decode per write. An entry lives from
/// just before the store write until the writer has its answer, so the map holds at most the
/// writes in flight.
final class WritesInFlight<T: APIObject>: Sendable {
    private struct Entry {
        var bytes: Data
        var object: T
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// Records that `object`, encoded as `bytes`, is being written at `key`.
    func begin(key: String, bytes: Data, object: T) {
        entries.withLock { $0[key] = Entry(bytes: bytes, object: object) }
    }

    /// Forgets the write at `key` (answered, or failed), unless a newer one replaced it.
    func end(key: String, bytes: Data) {
        entries.withLock { entries in
            if entries[key]?.bytes == bytes { entries[key] = nil }
        }
    }

    /// The object being written at `key` as exactly `bytes`, if any.
    func object(key: String, bytes: Data) -> T? {
        entries.withLock { entries in
            guard let entry = entries[key], entry.bytes.count == bytes.count, entry.bytes == bytes else {
                return nil
            }
            return entry.object
        }
    }
}

extension Timestamp {
    /// Now, in whole seconds: what a stored timestamp reads back as (RFC 3339 without
    /// fractions), so an object the server stamps equals its stored form.
    static func nowInWholeSeconds() -> Timestamp {
        Timestamp(Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
    }
}
