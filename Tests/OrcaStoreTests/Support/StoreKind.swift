import Foundation
import Logging
import OrcaStore
import Testing

/// The backends the conformance suite runs against.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case memory
    case sqlite
    /// SQLite keeping only 3 events in memory, so most watches replay their backlog from the log on disk.
    case sqliteDiskHistory

    var testDescription: String { rawValue }

    /// Runs `body` with a fresh, empty store of this kind, then closes it and removes its files.
    func withStore(
        watchBufferLimit: Int = 10_000,
        _ body: (any ObjectStore) async throws -> Void
    ) async throws {
        try await TemporaryDirectory.with { directory in
            let store: any ObjectStore
            switch self {
            case .memory:
                store = InMemoryStore(configuration: .init(watchBufferLimit: watchBufferLimit), logger: .quiet)
            case .sqlite:
                store = try await SQLiteStore(
                    path: directory.file("orca.sqlite"),
                    configuration: .init(watchBufferLimit: watchBufferLimit),
                    logger: .quiet
                )
            case .sqliteDiskHistory:
                store = try await SQLiteStore(
                    path: directory.file("orca.sqlite"),
                    configuration: .init(watchBufferLimit: watchBufferLimit, historyCacheSize: 3),
                    logger: .quiet
                )
            }
            do {
                try await body(store)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        }
    }
}

/// A directory under the system's temporary directory that the test removes when done.
struct TemporaryDirectory: Sendable {
    let path: String

    static func with<T>(_ body: (TemporaryDirectory) async throws -> T) async throws -> T {
        let path = NSTemporaryDirectory() + "orca-store-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try await body(TemporaryDirectory(path: path))
    }

    func file(_ name: String) -> String {
        path + "/" + name
    }
}

extension Data {
    /// UTF-8 bytes of a string, for readable test values.
    static func text(_ string: String) -> Data {
        Data(string.utf8)
    }
}
