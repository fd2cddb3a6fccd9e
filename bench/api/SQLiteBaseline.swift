import BenchSupport
import CSQLite
import Foundation

/// The raw durable-write rate of the disk under the master: SQLite in WAL mode with synchronous=FULL
/// (the store's own settings), one thread, `batch` inserts per committed transaction.
///
/// With `batch` 1 this is the ceiling of a store that fsyncs every write on its own; a larger batch shows
/// what group commit can reach.
enum SQLiteBaseline {
    struct Result: Codable, Sendable {
        var insertsPerCommit: Int
        var commits: Int
        var seconds: Double
        var commitsPerSecond: Double
        var writesPerSecond: Double
        var commitP50Ms: Double
        var commitP99Ms: Double
        var commitMaxMs: Double
    }

    /// Runs for `seconds` (and at most 1,000,000 commits) on a new database file in `directory`.
    static func run(directory: URL, seconds: Double, batch: Int) throws -> Result {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("baseline-\(batch).sqlite").path
        var handle: OpaquePointer?
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
            == SQLITE_OK, let db = handle
        else { throw BenchError("cannot open \(path)") }
        defer { sqlite3_close(db) }
        try execute(db, """
            PRAGMA locking_mode = EXCLUSIVE;
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE objects (key TEXT PRIMARY KEY, value BLOB NOT NULL, revision INTEGER NOT NULL);
            """)
        var statement: OpaquePointer?
        let sql = "INSERT INTO objects (key, value, revision) VALUES (?1, ?2, ?3)"
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let insert = statement else {
            throw BenchError("prepare: \(String(cString: sqlite3_errmsg(db)))")
        }
        defer { sqlite3_finalize(insert) }
        // About the size of a stored pod.
        let value = [UInt8](repeating: UInt8(ascii: "x"), count: 600)

        var latencies: [UInt64] = []
        var row = 0
        let start = Nanos.now()
        let end = start + Nanos.from(seconds: seconds)
        while Nanos.now() < end && latencies.count < 1_000_000 {
            let begin = Nanos.now()
            try execute(db, "BEGIN IMMEDIATE")
            for _ in 0..<batch {
                row += 1
                let key = "/registry/pods/baseline/pod-\(row)"
                sqlite3_bind_text(insert, 1, key, -1, transient)
                _ = value.withUnsafeBytes { sqlite3_bind_blob(insert, 2, $0.baseAddress, Int32($0.count), transient) }
                sqlite3_bind_int64(insert, 3, Int64(row))
                guard sqlite3_step(insert) == SQLITE_DONE else {
                    throw BenchError("insert: \(String(cString: sqlite3_errmsg(db)))")
                }
                sqlite3_reset(insert)
            }
            try execute(db, "COMMIT")
            latencies.append(Nanos.now() - begin)
        }
        let elapsed = Nanos.seconds(Nanos.now() - start)
        let summary = LatencySummary(name: "commit", samples: Samples(nanos: latencies), elapsedSeconds: elapsed)
        return Result(
            insertsPerCommit: batch, commits: latencies.count, seconds: elapsed,
            commitsPerSecond: summary.perSecond, writesPerSecond: summary.perSecond * Double(batch),
            commitP50Ms: summary.p50Ms, commitP99Ms: summary.p99Ms, commitMaxMs: summary.maxMs)
    }

    /// SQLITE_TRANSIENT: SQLite copies the bound value before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private static func execute(_ db: OpaquePointer, _ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(db, sql, nil, nil, &message) == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(message)
            throw BenchError("\(sql): \(text)")
        }
    }
}
