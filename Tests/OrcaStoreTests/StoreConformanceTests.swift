import Foundation
import OrcaStore
import Testing

/// The behaviour every `ObjectStore` backend must have.
@Suite struct StoreConformanceTests {
    // MARK: Create, get, update, delete

    @Test(arguments: StoreKind.allCases)
    func createThenGet(kind: StoreKind) async throws {
        try await kind.withStore { store in
            #expect(try await store.currentRevision() == 0)
            let created = try await store.create("/registry/pods/default/jenkins", value: .text("v1"))
            #expect(created.key == "/registry/pods/default/jenkins")
            #expect(created.value == .text("v1"))
            #expect(created.revision == 1)
            #expect(created.createRevision == 1)
            #expect(try await store.get("/registry/pods/default/jenkins") == created)
            #expect(try await store.get("/registry/pods/default/missing") == nil)
            #expect(try await store.currentRevision() == 1)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func duplicateCreateFailsWithoutUsingARevision(kind: StoreKind) async throws {
        try await kind.withStore { store in
            _ = try await store.create("/a", value: .text("first"))
            await #expect(throws: StoreError.alreadyExists(key: "/a")) {
                try await store.create("/a", value: .text("second"))
            }
            #expect(try await store.get("/a")?.value == .text("first"))
            #expect(try await store.currentRevision() == 1)
            #expect(try await store.create("/b", value: .text("b")).revision == 2)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func valuesRoundTripByteForByte(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let bytes = Data((0...255).map { UInt8($0) })
            _ = try await store.create("/binary", value: bytes)
            _ = try await store.create("/empty", value: Data())
            #expect(try await store.get("/binary")?.value == bytes)
            #expect(try await store.get("/empty")?.value == Data())
        }
    }

    @Test(arguments: StoreKind.allCases)
    func updateComparesAndSwaps(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let created = try await store.create("/k", value: .text("v1"))
            _ = try await store.create("/other", value: .text("x"))

            let updated = try await store.update("/k", value: .text("v2"), expectedRevision: created.revision)
            #expect(updated == StoredObject(key: "/k", value: .text("v2"), revision: 3, createRevision: 1))

            await #expect(throws: StoreError.conflict(key: "/k", currentRevision: 3)) {
                try await store.update("/k", value: .text("stale"), expectedRevision: created.revision)
            }
            #expect(try await store.get("/k") == updated)

            let unconditional = try await store.update("/k", value: .text("v3"), expectedRevision: nil)
            #expect(unconditional.revision == 4)
            #expect(unconditional.createRevision == 1)
            #expect(try await store.currentRevision() == 4)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func updateAndDeleteOfMissingKeyAreNotFound(kind: StoreKind) async throws {
        try await kind.withStore { store in
            await #expect(throws: StoreError.notFound(key: "/missing")) {
                try await store.update("/missing", value: .text("v"), expectedRevision: nil)
            }
            await #expect(throws: StoreError.notFound(key: "/missing")) {
                try await store.update("/missing", value: .text("v"), expectedRevision: 1)
            }
            await #expect(throws: StoreError.notFound(key: "/missing")) {
                try await store.delete("/missing", expectedRevision: nil)
            }
            let revision = try await store.currentRevision()
            #expect(revision == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func deleteComparesAndSwapsAndReturnsTheLastValue(kind: StoreKind) async throws {
        try await kind.withStore { store in
            _ = try await store.create("/k", value: .text("v1"))
            let updated = try await store.update("/k", value: .text("v2"), expectedRevision: 1)

            await #expect(throws: StoreError.conflict(key: "/k", currentRevision: 2)) {
                try await store.delete("/k", expectedRevision: 1)
            }
            #expect(try await store.get("/k") == updated)

            let deleted = try await store.delete("/k", expectedRevision: 2)
            #expect(deleted == StoredObject(key: "/k", value: .text("v2"), revision: 3, createRevision: 1))
            #expect(try await store.get("/k") == nil)
            await #expect(throws: StoreError.notFound(key: "/k")) {
                try await store.delete("/k", expectedRevision: nil)
            }

            let recreated = try await store.create("/k", value: .text("again"))
            #expect(recreated.revision == 4)
            #expect(recreated.createRevision == 4)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func everyWriteTakesTheNextRevision(kind: StoreKind) async throws {
        try await kind.withStore { store in
            var revisions: [Int64] = []
            revisions.append(try await store.create("/a", value: .text("1")).revision)
            revisions.append(try await store.create("/b", value: .text("1")).revision)
            revisions.append(try await store.update("/a", value: .text("2"), expectedRevision: nil).revision)
            _ = try? await store.update("/a", value: .text("x"), expectedRevision: 99)
            revisions.append(try await store.delete("/b", expectedRevision: nil).revision)
            _ = try? await store.create("/a", value: .text("x"))
            revisions.append(try await store.create("/b", value: .text("2")).revision)
            #expect(revisions == [1, 2, 3, 4, 5])
            #expect(try await store.currentRevision() == 5)
        }
    }

    // MARK: List

    @Test(arguments: StoreKind.allCases)
    func listReturnsOnlyThePrefixSortedByKey(kind: StoreKind) async throws {
        try await kind.withStore { store in
            for key in [
                "/registry/podsx/default/a", "/registry/pods/kube-system/dns", "/registry/services/default/web",
                "/registry/pods/default/b", "/registry/pods/default/a", "/registry/pods", "/registry/pods/",
            ] {
                _ = try await store.create(key, value: .text(key))
            }
            let pods = try await store.list(prefix: "/registry/pods/")
            #expect(pods.items.map(\.key) == [
                "/registry/pods/", "/registry/pods/default/a", "/registry/pods/default/b",
                "/registry/pods/kube-system/dns",
            ])
            #expect(pods.items.allSatisfy { $0.value == .text($0.key) })
            #expect(pods.revision == 7)
            #expect(!pods.hasMore)

            #expect(try await store.list(prefix: "/registry/pods/default/").items.count == 2)
            #expect(try await store.list(prefix: "/registry/nodes/").items.isEmpty)
            #expect(try await store.list(prefix: "").items.count == 7)

            _ = try await store.delete("/registry/pods/default/a", expectedRevision: nil)
            let afterDelete = try await store.list(prefix: "/registry/pods/default/")
            #expect(afterDelete.items.map(\.key) == ["/registry/pods/default/b"])
            #expect(afterDelete.revision == 8)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func pagesCoverEveryItemExactlyOnce(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let keys = (0..<57).map { String(format: "/registry/pods/ns%d/pod-%03d", $0 % 3, $0) }
            for key in keys.shuffled() { _ = try await store.create(key, value: .text(key)) }
            _ = try await store.create("/registry/podsx/zzz", value: .text("not a pod"))

            var seen: [String] = []
            var startAfter: String?
            var pages = 0
            while true {
                let page = try await store.list(prefix: "/registry/pods/", startAfter: startAfter, limit: 10)
                seen += page.items.map(\.key)
                pages += 1
                #expect(page.revision == 58)
                #expect(page.remainingCount == keys.count - seen.count)
                guard page.hasMore else { break }
                startAfter = page.items.last?.key
            }
            #expect(seen == keys.sorted())
            #expect(pages == 6)

            #expect(try await store.list(prefix: "/registry/pods/", startAfter: nil, limit: 0).items.count == 57)
            let tail = try await store.list(prefix: "/registry/pods/", startAfter: "/registry/pods/ns2/", limit: nil)
            #expect(tail.items.count == 19)
            #expect(tail.items.allSatisfy { $0.key.hasPrefix("/registry/pods/ns2/") })
        }
    }

    // MARK: Watch

    @Test(arguments: StoreKind.allCases)
    func watchReplaysHistoryThenDeliversLiveEvents(kind: StoreKind) async throws {
        try await kind.withStore { store in
            _ = try await store.create("/p/a", value: .text("a1"))
            _ = try await store.create("/p/b", value: .text("b1"))
            _ = try await store.update("/p/a", value: .text("a2"), expectedRevision: 1)
            _ = try await store.delete("/p/b", expectedRevision: 2)
            _ = try await store.create("/p/c", value: .text("c1"))

            let fromStart = try await store.watch(prefix: "/p/", fromRevision: 0)
            let fromMiddle = try await store.watch(prefix: "/p/", fromRevision: 3)

            let history = try await next(5, of: fromStart, "replayed events")
            #expect(history.map(\.type) == [.added, .added, .modified, .deleted, .added])
            #expect(history.map(\.revision) == [1, 2, 3, 4, 5])
            #expect(history.map(\.object.key) == ["/p/a", "/p/b", "/p/a", "/p/b", "/p/c"])
            #expect(history[2].object == StoredObject(key: "/p/a", value: .text("a2"), revision: 3, createRevision: 1))
            #expect(try await next(2, of: fromMiddle, "events after 3").map(\.revision) == [4, 5])

            _ = try await store.update("/p/c", value: .text("c2"), expectedRevision: nil)
            _ = try await store.create("/p/d", value: .text("d1"))
            let live = try await next(2, of: fromStart, "live events")
            #expect(live.map(\.revision) == [6, 7])
            #expect(live.map(\.type) == [.modified, .added])
            #expect(live[0].object == StoredObject(key: "/p/c", value: .text("c2"), revision: 6, createRevision: 5))
            #expect(try await next(2, of: fromMiddle, "live events").map(\.revision) == [6, 7])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func watchDeliversOnlyItsPrefix(kind: StoreKind) async throws {
        try await kind.withStore { store in
            _ = try await store.create("/registry/podsx/default/a", value: .text("x"))
            _ = try await store.create("/registry/pods/default/a", value: .text("a"))
            let pods = try await store.watch(prefix: "/registry/pods/", fromRevision: 0)
            let defaultPods = try await store.watch(prefix: "/registry/pods/default/", fromRevision: 2)

            _ = try await store.create("/registry/services/default/web", value: .text("s"))
            _ = try await store.create("/registry/podsx/default/b", value: .text("x"))
            _ = try await store.create("/registry/pods/kube-system/dns", value: .text("dns"))
            _ = try await store.create("/registry/pods/default/b", value: .text("b"))

            let podEvents = try await next(3, of: pods, "pod events")
            #expect(podEvents.map(\.object.key) == [
                "/registry/pods/default/a", "/registry/pods/kube-system/dns", "/registry/pods/default/b",
            ])
            #expect(podEvents.map(\.revision) == [2, 5, 6])
            let defaultEvents = try await next(1, of: defaultPods, "pod events in default")
            #expect(defaultEvents.map(\.object.key) == ["/registry/pods/default/b"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func deletedEventsCarryTheLastValue(kind: StoreKind) async throws {
        try await kind.withStore { store in
            _ = try await store.create("/k", value: .text("v1"))
            _ = try await store.update("/k", value: .text("last"), expectedRevision: 1)
            let live = try await store.watch(prefix: "/k", fromRevision: 2)
            _ = try await store.delete("/k", expectedRevision: nil)

            let expected = StoreEvent(
                type: .deleted,
                object: StoredObject(key: "/k", value: .text("last"), revision: 3, createRevision: 1)
            )
            #expect(try await next(1, of: live, "the live delete") == [expected])
            let replayed = try await store.watch(prefix: "/k", fromRevision: 2)
            #expect(try await next(1, of: replayed, "the replayed delete") == [expected])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func watchFromAFutureRevisionWaitsForIt(kind: StoreKind) async throws {
        try await kind.withStore { store in
            _ = try await store.create("/k/1", value: .text("1"))
            let stream = try await store.watch(prefix: "/k/", fromRevision: 3)
            for i in 2...4 { _ = try await store.create("/k/\(i)", value: .text("\(i)")) }
            #expect(try await next(1, of: stream, "the event after revision 3").map(\.revision) == [4])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func listThenWatchFromItsRevisionMissesNothingUnderConcurrentWrites(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let writers = 8
            let writesPerWriter = 40
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for i in 0..<writesPerWriter {
                            let key = "/w/\(writer)/\(i % 5)"
                            if i < 5 {
                                _ = try await store.create(key, value: .text("\(i)"))
                            } else if i % 7 == 0 {
                                _ = try await store.delete(key, expectedRevision: nil)
                                _ = try await store.create(key, value: .text("\(i)"))
                            } else {
                                _ = try await store.update(key, value: .text("\(i)"), expectedRevision: nil)
                            }
                        }
                    }
                }
                // Start reading while the writers run.
                let list = try await store.list(prefix: "/w/")
                let stream = try await store.watch(prefix: "/w/", fromRevision: list.revision)
                try await group.waitForAll()

                let final = try await store.currentRevision()
                let events = try await next(Int(final - list.revision), of: stream, "events after the list")
                #expect(events.map(\.revision) == Array((list.revision + 1)...final))

                var state: [String: StoredObject] = [:]
                for item in list.items { state[item.key] = item }
                for event in events {
                    state[event.object.key] = event.type == .deleted ? nil : event.object
                }
                let expected = try await store.list(prefix: "/w/").items
                #expect(state.values.sorted { $0.key < $1.key } == expected)
                #expect(expected.count == writers * 5)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aWatcherThatFallsBehindIsEndedWithoutBlockingWriters(kind: StoreKind) async throws {
        try await kind.withStore(watchBufferLimit: 5) { store in
            _ = try await store.create("/k/0", value: .text("0"))
            let slow = try await store.watch(prefix: "/k/", fromRevision: 0)
            for i in 1...20 { _ = try await store.create("/k/\(i)", value: .text("\(i)")) }
            #expect(try await store.currentRevision() == 21)

            let end = try await end(of: slow, "the slow watch")
            // The backlog (1 event) plus the 5 the buffer could hold, in order, then the error.
            #expect(end.events.map(\.revision) == Array(1...6))
            #expect(end.error as? StoreError == .watcherTooSlow(limit: 5))

            let fresh = try await store.watch(prefix: "/k/", fromRevision: 21)
            _ = try await store.create("/k/new", value: .text("new"))
            #expect(try await next(1, of: fresh, "an event for a new watcher").map(\.revision) == [22])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func cancellingAWatchLeavesTheStoreWorking(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let stream = try await store.watch(prefix: "/", fromRevision: 0)
            let consumer = Task {
                for try await _ in stream {}
            }
            consumer.cancel()
            try await consumer.value
            for i in 0..<3 { _ = try await store.create("/k/\(i)", value: .text("v")) }
            #expect(try await store.currentRevision() == 3)
        }
    }

    // MARK: Compaction

    @Test(arguments: StoreKind.allCases)
    func compactionDropsOldHistoryButKeepsObjects(kind: StoreKind) async throws {
        try await kind.withStore { store in
            for i in 1...4 { _ = try await store.create("/k/\(i)", value: .text("\(i)")) }
            _ = try await store.update("/k/1", value: .text("1b"), expectedRevision: nil)

            try await store.compact(upTo: 3)
            #expect(try await store.compactedRevision() == 3)
            await #expect(throws: StoreError.compacted(requested: 2, compactedRevision: 3)) {
                try await store.watch(prefix: "/k/", fromRevision: 2)
            }
            let stream = try await store.watch(prefix: "/k/", fromRevision: 3)
            #expect(try await next(2, of: stream, "events after the compaction").map(\.revision) == [4, 5])

            let list = try await store.list(prefix: "/k/")
            #expect(list.items.map(\.key) == ["/k/1", "/k/2", "/k/3", "/k/4"])
            #expect(list.items.first?.value == .text("1b"))

            // Compacting backwards is a no-op; beyond the current revision it stops at it.
            try await store.compact(upTo: 1)
            #expect(try await store.compactedRevision() == 3)
            try await store.compact(upTo: 100)
            #expect(try await store.compactedRevision() == 5)
            _ = try await store.create("/k/5", value: .text("5"))
            #expect(try await next(1, of: stream, "a live event after compaction").map(\.revision) == [6])
            #expect(try await store.currentRevision() == 6)
        }
    }

    // MARK: Concurrency and lifecycle

    @Test(arguments: StoreKind.allCases)
    func concurrentCreatesAreAllAcknowledgedWithDistinctRevisions(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let watch = try await store.watch(prefix: "/c/", fromRevision: 0)
            let revisions = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for client in 0..<50 {
                    group.addTask {
                        var revisions: [Int64] = []
                        for i in 0..<20 {
                            revisions.append(try await store.create("/c/\(client)/\(i)", value: .text("\(i)")).revision)
                        }
                        return revisions
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(revisions.sorted() == Array(1...1000))
            #expect(try await store.currentRevision() == 1000)
            #expect(try await store.list(prefix: "/c/").items.count == 1000)
            let events = try await next(1000, of: watch, "events for the concurrent creates")
            #expect(events.map(\.revision) == Array(1...1000))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentCompareAndSwapLosesNoIncrement(kind: StoreKind) async throws {
        try await kind.withStore { store in
            _ = try await store.create("/counter", value: .text("0"))
            let clients = 10
            let increments = 10
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<clients {
                    group.addTask {
                        for _ in 0..<increments {
                            while true {
                                let current = try #require(try await store.get("/counter"))
                                let value = Int(String(decoding: current.value, as: UTF8.self))! + 1
                                do {
                                    _ = try await store.update(
                                        "/counter", value: .text("\(value)"), expectedRevision: current.revision
                                    )
                                    break
                                } catch StoreError.conflict {
                                    continue
                                }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let counter = try #require(try await store.get("/counter"))
            #expect(counter.value == .text("\(clients * increments)"))
            #expect(counter.revision == Int64(1 + clients * increments))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func closeEndsWatchesAndRefusesFurtherCalls(kind: StoreKind) async throws {
        try await kind.withStore { store in
            _ = try await store.create("/k", value: .text("v"))
            let stream = try await store.watch(prefix: "/", fromRevision: 0)
            await store.close()

            let end = try await end(of: stream, "a watch on a closed store")
            #expect(end.events.map(\.revision) == [1])
            #expect(end.error == nil)
            await #expect(throws: StoreError.closed) { try await store.get("/k") }
            await #expect(throws: StoreError.closed) { try await store.create("/k2", value: .text("v")) }
            await #expect(throws: StoreError.closed) { try await store.watch(prefix: "/", fromRevision: 0) }
            await #expect(throws: StoreError.closed) { try await store.currentRevision() }
            await store.close()
        }
    }
}
