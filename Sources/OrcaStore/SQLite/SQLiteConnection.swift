import CSQLite
import Foundation

/// A thin wrapper over one SQLite connection, used only from the store's own thread.
///
/// Not `Sendable` on purpose: SQLite runs in multi-thread mode (no internal mutex), which is safe
/// because exactly one thread ever touches the connection and its statements.
final class SQLiteConnection {
    let path: String
    private(set) var handle: OpaquePointer?
    private var statements: [SQLiteStatement] = []

    /// Opens (creating if needed) the database file at `path`.
    init(path: String) throws(StoreError) {
        self.path = path
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(handle)
            throw .io("cannot open store \(path): \(message)")
        }
        self.handle = handle
        sqlite3_extended_result_codes(handle, 1)
    }

    deinit {
        close()
    }

    /// Runs SQL without results (schema, pragmas without output).
    func execute(_ sql: String) throws(StoreError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(message)
            throw .io("\(path): \(text) (SQLite code \(code))\(Self.hint(for: code))")
        }
    }

    /// Prepares a statement that lives, and is reused, until the connection closes.
    func prepare(_ sql: String) throws(StoreError) -> SQLiteStatement {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else { throw error(code, "preparing \(sql)") }
        let wrapper = SQLiteStatement(handle: statement, connection: self)
        statements.append(wrapper)
        return wrapper
    }

    /// A store error for a failed SQLite call, with SQLite's own message.
    func error(_ code: Int32, _ context: String) -> StoreError {
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
        return .io("\(path): \(context): \(message) (SQLite code \(code))\(Self.hint(for: code))")
    }

    /// What a result code usually means for an Orca store.
    private static func hint(for code: Int32) -> String {
        code & 0xFF == SQLITE_BUSY ? "; the store is open elsewhere (another orca master?)" : ""
    }

    /// Finalizes every statement and closes the connection.
    func close() {
        for statement in statements { statement.finalize() }
        statements = []
        if let handle {
            sqlite3_close_v2(handle)
            self.handle = nil
        }
    }
}

/// A prepared statement, reset after each use so it can run again.
final class SQLiteStatement {
    private var handle: OpaquePointer?
    private unowned let connection: SQLiteConnection

    fileprivate init(handle: OpaquePointer, connection: SQLiteConnection) {
        self.handle = handle
        self.connection = connection
    }

    fileprivate func finalize() {
        sqlite3_finalize(handle)
        handle = nil
    }

    /// A value to bind to a `?` parameter.
    enum Value {
        case integer(Int64)
        case text(String)
        case blob(Data)
    }

    /// Binds `values` to the parameters in order, runs the statement to completion and resets it.
    func run(_ values: Value...) throws(StoreError) {
        try bind(values)
        defer { reset() }
        try step(expectingRow: false)
    }

    /// Binds `values`, calls `row` for each result row, and resets the statement.
    func query(_ values: Value..., row: (SQLiteStatement) throws(StoreError) -> Void) throws(StoreError) {
        try bind(values)
        defer { reset() }
        while try step(expectingRow: true) { try row(self) }
    }

    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func data(_ column: Int32) -> Data {
        guard let bytes = sqlite3_column_blob(handle, column) else { return Data() }
        return Data(bytes: bytes, count: Int(sqlite3_column_bytes(handle, column)))
    }

    private func bind(_ values: [Value]) throws(StoreError) {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .integer(let number):
                code = sqlite3_bind_int64(handle, index, number)
            case .text(var string):
                code = string.withUTF8 { bytes in
                    bytes.withMemoryRebound(to: CChar.self) { chars in
                        // An empty buffer may have no address, which SQLite would store as NULL.
                        chars.baseAddress.map {
                            sqlite3_bind_text(handle, index, $0, Int32(chars.count), sqliteTransient)
                        } ?? sqlite3_bind_text(handle, index, "", 0, nil)
                    }
                }
            case .blob(let data):
                code = data.withUnsafeBytes { bytes in
                    bytes.baseAddress.map {
                        sqlite3_bind_blob(handle, index, $0, Int32(bytes.count), sqliteTransient)
                    } ?? sqlite3_bind_zeroblob(handle, index, 0)
                }
            }
            guard code == SQLITE_OK else { throw connection.error(code, "binding parameter \(index)") }
        }
    }

    /// Returns true for a row, false when done.
    @discardableResult
    private func step(expectingRow: Bool) throws(StoreError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW where expectingRow: return true
        case SQLITE_ROW, SQLITE_DONE: return false
        default:
            let sql = sqlite3_sql(handle).map { String(cString: $0) } ?? "statement"
            throw connection.error(code, "running \(sql)")
        }
    }

    private func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }
}

/// SQLite's `SQLITE_TRANSIENT`: copy bound bytes before the call returns (the macro is not imported).
private var sqliteTransient: sqlite3_destructor_type {
    unsafeBitCast(-1 as Int, to: sqlite3_destructor_type.self)
}
