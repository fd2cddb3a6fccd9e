import CSQLite
import Foundation

/// The store's tables on one SQLite connection, with every statement prepared once and reused.
///
/// Schema (kine-like): `objects` holds the current state, `log` one row per revision (the watch
/// history, deleted rows keeping the last value), `meta` the revision counters. A write batch
/// changes all three in one transaction, so they always agree on disk.
final class SQLiteDatabase {
    /// What a store needs in memory after opening.
    struct Snapshot {
        var objects: [StoredObject]
        var revision: Int64
        var compactedRevision: Int64
        /// The most recent events, contiguous, after `historyBase` up to `revision`.
        var history: [StoreEvent]
        var historyBase: Int64
    }

    static let schemaVersion: Int64 = 1

    private static let schema = """
        CREATE TABLE IF NOT EXISTS meta (
            name TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS objects (
            key TEXT PRIMARY KEY,
            value BLOB NOT NULL,
            mod_revision INTEGER NOT NULL,
            create_revision INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS log (
            revision INTEGER PRIMARY KEY,
            key TEXT NOT NULL,
            type INTEGER NOT NULL,
            value BLOB NOT NULL,
            create_revision INTEGER NOT NULL
        );
        INSERT OR IGNORE INTO meta (name, value)
            VALUES ('schema_version', \(schemaVersion)), ('revision', 0), ('compacted_revision', 0);
        """

    private let connection: SQLiteConnection
    private let begin: SQLiteStatement
    private let commit: SQLiteStatement
    private let rollback: SQLiteStatement
    private let putObject: SQLiteStatement
    private let deleteObject: SQLiteStatement
    private let appendLog: SQLiteStatement
    private let setMeta: SQLiteStatement
    private let readLog: SQLiteStatement
    private let trimLog: SQLiteStatement

    /// Opens or creates the store database at `path`, durable and locked to this process.
    init(path: String) throws(StoreError) {
        let connection = try SQLiteConnection(path: path)
        do {
            try Self.configure(connection)
            begin = try connection.prepare("BEGIN IMMEDIATE")
            commit = try connection.prepare("COMMIT")
            rollback = try connection.prepare("ROLLBACK")
            putObject = try connection.prepare("""
                INSERT INTO objects (key, value, mod_revision, create_revision) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value, mod_revision = excluded.mod_revision
                """)
            deleteObject = try connection.prepare("DELETE FROM objects WHERE key = ?1")
            appendLog = try connection.prepare(
                "INSERT INTO log (revision, key, type, value, create_revision) VALUES (?1, ?2, ?3, ?4, ?5)"
            )
            setMeta = try connection.prepare("UPDATE meta SET value = ?2 WHERE name = ?1")
            readLog = try connection.prepare("""
                SELECT revision, key, type, value, create_revision FROM log
                WHERE revision > ?1 AND revision <= ?2 ORDER BY revision
                """)
            trimLog = try connection.prepare("DELETE FROM log WHERE revision <= ?1")
        } catch {
            connection.close()
            guard case .io(let message) = error else { throw error }
            throw .io("cannot open store \(message)")
        }
        self.connection = connection
    }

    /// Durability and exclusivity settings, then the schema.
    private static func configure(_ connection: SQLiteConnection) throws(StoreError) {
        // One process owns the file: the store keeps the current state in memory and would go stale
        // if another process wrote behind its back. EXCLUSIVE also keeps the WAL index in the heap.
        try connection.execute("PRAGMA locking_mode = EXCLUSIVE")
        var mode = ""
        try connection.prepare("PRAGMA journal_mode = WAL").query { row throws(StoreError) in mode = row.text(0) }
        guard mode.lowercased() == "wal" else {
            throw .io("\(connection.path): cannot switch to write-ahead logging (journal mode is \(mode))")
        }
        // FULL: the WAL is fsynced at every commit, so an acknowledged write survives power loss.
        try connection.execute("PRAGMA synchronous = FULL")
        do {
            try connection.execute("BEGIN IMMEDIATE; \(schema) COMMIT;")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
        var version: Int64 = 0
        let versionQuery = try connection.prepare("SELECT value FROM meta WHERE name = 'schema_version'")
        try versionQuery.query { row throws(StoreError) in version = row.int64(0) }
        guard version == schemaVersion else {
            throw .io("\(connection.path): unsupported store schema version \(version) (expected \(schemaVersion))")
        }
    }

    /// Reads the current state, the counters and up to `historyCapacity` recent events.
    func load(historyCapacity: Int) throws(StoreError) -> Snapshot {
        var meta: [String: Int64] = [:]
        try connection.prepare("SELECT name, value FROM meta").query { row throws(StoreError) in
            meta[row.text(0)] = row.int64(1)
        }
        let revision = meta["revision"] ?? 0
        let compactedRevision = meta["compacted_revision"] ?? 0

        var objects: [StoredObject] = []
        try connection.prepare("SELECT key, value, mod_revision, create_revision FROM objects").query {
            row throws(StoreError) in
            objects.append(
                StoredObject(key: row.text(0), value: row.data(1), revision: row.int64(2), createRevision: row.int64(3))
            )
        }

        var lastLogged: Int64 = 0
        try connection.prepare("SELECT COALESCE(MAX(revision), 0) FROM log").query { row throws(StoreError) in
            lastLogged = row.int64(0)
        }
        guard lastLogged <= revision, compactedRevision <= revision else {
            throw .io("\(connection.path): inconsistent store (log reaches \(lastLogged), revision is \(revision))")
        }

        var historyBase = max(compactedRevision, revision - Int64(max(0, historyCapacity)))
        var history = try events(after: historyBase, through: revision, prefix: "")
        if history.count != Int(revision - historyBase) {
            // A hole in the log would make a watch skip events; serve history from disk checks instead.
            history = []
            historyBase = revision
        }
        return Snapshot(
            objects: objects,
            revision: revision,
            compactedRevision: compactedRevision,
            history: history,
            historyBase: historyBase
        )
    }

    /// Writes `events` (the next revisions, in order) in one durable transaction.
    func commit(_ events: [StoreEvent]) throws(StoreError) {
        guard let last = events.last else { return }
        try transaction { () throws(StoreError) in
            for event in events {
                let object = event.object
                switch event.type {
                case .added, .modified:
                    try putObject.run(
                        .text(object.key), .blob(object.value),
                        .integer(object.revision), .integer(object.createRevision)
                    )
                case .deleted:
                    try deleteObject.run(.text(object.key))
                }
                try appendLog.run(
                    .integer(object.revision), .text(object.key), .integer(Self.code(for: event.type)),
                    .blob(object.value), .integer(object.createRevision)
                )
            }
            try setMeta.run(.text("revision"), .integer(last.revision))
        }
    }

    /// Drops the log of revisions up to `revision` and records the compaction.
    func compact(through revision: Int64) throws(StoreError) {
        try transaction { () throws(StoreError) in
            try trimLog.run(.integer(revision))
            try setMeta.run(.text("compacted_revision"), .integer(revision))
        }
    }

    /// Logged events after `revision` up to `last` whose key starts with `prefix`, in order.
    func events(after revision: Int64, through last: Int64, prefix: String) throws(StoreError) -> [StoreEvent] {
        var events: [StoreEvent] = []
        try readLog.query(.integer(revision), .integer(last)) { row throws(StoreError) in
            let key = row.text(1)
            guard KeyOrder.hasPrefix(key, prefix) else { return }
            guard let type = Self.type(for: row.int64(2)) else {
                throw .io("\(connection.path): unknown event type \(row.int64(2)) at revision \(row.int64(0))")
            }
            let object = StoredObject(
                key: key, value: row.data(3), revision: row.int64(0), createRevision: row.int64(4)
            )
            events.append(StoreEvent(type: type, object: object))
        }
        return events
    }

    func close() {
        connection.close()
    }

    private func transaction(_ body: () throws(StoreError) -> Void) throws(StoreError) {
        try begin.run()
        do {
            try body()
            try commit.run()
        } catch {
            // After some I/O errors SQLite has already rolled back; then this fails harmlessly.
            try? rollback.run()
            throw error
        }
    }

    private static func code(for type: WatchEventType) -> Int64 {
        switch type {
        case .added: 0
        case .modified: 1
        case .deleted: 2
        }
    }

    private static func type(for code: Int64) -> WatchEventType? {
        switch code {
        case 0: .added
        case 1: .modified
        case 2: .deleted
        default: nil
        }
    }
}
