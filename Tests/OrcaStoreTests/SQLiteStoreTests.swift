import Foundation
import Logging
import OrcaStore
import Testing

/// What only the durable backend promises: state, revisions and history survive a restart.
@Suite struct SQLiteStoreTests {
    @Test func reopeningKeepsObjectsAndContinuesTheRevisionSequence() async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.file("orca.sqlite")
            let store = try await SQLiteStore(path: path, logger: .quiet)
            _ = try await store.create("/registry/pods/default/a", value: .text("a1"))
            _ = try await store.create("/registry/pods/default/b", value: .text("b1"))
            _ = try await store.update("/registry/pods/default/a", value: .text("a2"), expectedRevision: 1)
            _ = try await store.delete("/registry/pods/default/b", expectedRevision: nil)
            let before = try await store.list(prefix: "/registry/")
            await store.close()

            let reopened = try await SQLiteStore(path: path, logger: .quiet)
            #expect(try await reopened.list(prefix: "/registry/") == before)
            #expect(try await reopened.currentRevision() == 4)
            let created = try await reopened.create("/registry/pods/default/c", value: .text("c1"))
            #expect(created.revision == 5)
            await #expect(throws: StoreError.conflict(key: "/registry/pods/default/a", currentRevision: 3)) {
                try await reopened.update("/registry/pods/default/a", value: .text("x"), expectedRevision: 1)
            }

            // The whole history is still there to watch, the delete with its last value.
            let history = try await reopened.watch(prefix: "/registry/pods/", fromRevision: 0)
            let events = try await next(5, of: history, "the history after reopening")
            #expect(events.map(\.type) == [.added, .added, .modified, .deleted, .added])
            #expect(events[3].object == StoredObject(
                key: "/registry/pods/default/b", value: .text("b1"), revision: 4, createRevision: 2
            ))
            await reopened.close()
        }
    }

    @Test func reopeningAfterCompactionKeepsTheCompactedRevisionAndTheSequence() async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.file("orca.sqlite")
            let store = try await SQLiteStore(path: path, logger: .quiet)
            for i in 1...6 { _ = try await store.create("/k/\(i)", value: .text("\(i)")) }
            _ = try await store.delete("/k/6", expectedRevision: nil)
            try await store.compact(upTo: 7)
            await store.close()

            let reopened = try await SQLiteStore(
                path: path, configuration: .init(historyCacheSize: 2), logger: .quiet
            )
            #expect(try await reopened.currentRevision() == 7)
            #expect(try await reopened.compactedRevision() == 7)
            #expect(try await reopened.list(prefix: "/k/").items.count == 5)
            await #expect(throws: StoreError.compacted(requested: 6, compactedRevision: 7)) {
                try await reopened.watch(prefix: "/k/", fromRevision: 6)
            }
            let stream = try await reopened.watch(prefix: "/k/", fromRevision: 7)
            #expect(try await reopened.create("/k/6", value: .text("again")).revision == 8)
            #expect(try await next(1, of: stream, "the first write after reopening").map(\.revision) == [8])
            await reopened.close()
        }
    }

    /// What `kill -9` leaves behind: the database and its write-ahead log, never checkpointed or
    /// closed. Copying them while the store is open and idle captures exactly that image.
    @Test func acknowledgedWritesSurviveAProcessThatNeverClosed() async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.file("orca.sqlite")
            let store = try await SQLiteStore(path: path, logger: .quiet)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in 0..<10 {
                    group.addTask {
                        for i in 0..<30 { _ = try await store.create("/k/\(client)/\(i)", value: .text("\(i)")) }
                    }
                }
                try await group.waitForAll()
            }
            _ = try await store.delete("/k/0/0", expectedRevision: nil)
            let acknowledged = try await store.list(prefix: "/k/")

            let crashed = directory.file("crashed.sqlite")
            try FileManager.default.copyItem(atPath: path, toPath: crashed)
            if FileManager.default.fileExists(atPath: path + "-wal") {
                try FileManager.default.copyItem(atPath: path + "-wal", toPath: crashed + "-wal")
            }
            await store.close()

            let recovered = try await SQLiteStore(path: crashed, logger: .quiet)
            #expect(try await recovered.list(prefix: "/k/") == acknowledged)
            #expect(try await recovered.currentRevision() == 301)
            #expect(try await recovered.create("/k/after", value: .text("x")).revision == 302)
            await recovered.close()
        }
    }

    @Test func groupCommitAcknowledgesEveryWriteOfEveryGroup() async throws {
        try await TemporaryDirectory.with { directory in
            let store = try await SQLiteStore(path: directory.file("orca.sqlite"), logger: .quiet)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in 0..<20 {
                    group.addTask {
                        for i in 0..<10 { _ = try await store.create("/k/\(client)/\(i)", value: .text("\(i)")) }
                        // A duplicate fails alone; the rest of its group still commits.
                        await #expect(throws: StoreError.alreadyExists(key: "/k/\(client)/0")) {
                            try await store.create("/k/\(client)/0", value: .text("dup"))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let statistics = store.statistics
            #expect(statistics.writes == 200)
            #expect(statistics.transactions >= 1 && statistics.transactions <= 200)
            #expect(statistics.largestGroup >= 1)
            #expect(try await store.currentRevision() == 200)
            await store.close()
        }
    }

    @Test func aFileThatIsNotADatabaseGivesAClearError() async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.file("orca.sqlite")
            try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: path))
            do {
                _ = try await SQLiteStore(path: path, logger: .quiet)
                Issue.record("opening a corrupted file succeeded")
            } catch let error as StoreError {
                guard case .io(let message) = error else {
                    Issue.record("expected StoreError.io, got \(error)")
                    return
                }
                #expect(message.contains(path))
                #expect(message.contains("not a database"))
            }
        }
    }

    @Test func aStoreFileOpenElsewhereIsRefused() async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.file("orca.sqlite")
            let store = try await SQLiteStore(path: path, logger: .quiet)
            _ = try await store.create("/k", value: .text("v"))
            do {
                let second = try await SQLiteStore(path: path, logger: .quiet)
                await second.close()
                Issue.record("a second store opened a file that is in use")
            } catch let error as StoreError {
                guard case .io(let message) = error else {
                    Issue.record("expected StoreError.io, got \(error)")
                    return
                }
                #expect(message.contains("locked"))
            }
            #expect(try await store.get("/k")?.value == .text("v"))
            await store.close()
        }
    }

    @Test func aMissingDirectoryGivesAClearError() async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.file("missing/orca.sqlite")
            await #expect(throws: StoreError.self) { try await SQLiteStore(path: path, logger: .quiet) }
        }
    }
}
