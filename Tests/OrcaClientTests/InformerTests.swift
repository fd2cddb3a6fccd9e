import Foundation
import HummingbirdTesting
import OrcaAPI
import OrcaAPIServer
import OrcaClient
import OrcaStore
import Synchronization
import Testing

@Suite struct InformerTests {
    /// Runs `body` against a live in-process API server over `store`.
    static func withServer(store: InMemoryStore = InMemoryStore(),
                           _ body: @Sendable (OrcaClient, InMemoryStore) async throws -> Void) async throws {
        var config = APIServer.Configuration()
        config.port = 0
        config.logger.logLevel = .warning
        let server = try await APIServer.make(configuration: config, store: store)
        try await server.application().test(.live) { client in
            try await body(OrcaClient(baseURL: "http://127.0.0.1:\(client.port!)"), store)
        }
    }

    static func pod(_ name: String, labels: [String: String] = [:]) -> Pod {
        Pod(metadata: ObjectMeta(name: name, labels: labels),
            spec: PodSpec(containers: [Container(name: "c", image: "busybox")]))
    }

    final class Recorder: Sendable {
        let events = Mutex<[String]>([])
        var handlers: Informer<Pod>.Handlers {
            Informer<Pod>.Handlers(
                added: { p in self.events.withLock { $0.append("added \(p.metadata.name!)") } },
                updated: { _, p in self.events.withLock { $0.append("updated \(p.metadata.name!)") } },
                deleted: { p in self.events.withLock { $0.append("deleted \(p.metadata.name!)") } })
        }
        var all: [String] { events.withLock { $0 } }
    }

    @Test func listsThenFollowsChanges() async throws {
        try await Self.withServer { client, _ in
            _ = try await client.create(Self.pod("a"))
            let informer = Informer<Pod>(client: client, configuration: .init(namespace: "default"))
            let recorder = Recorder()
            informer.addHandlers(recorder.handlers)
            let run = Task { await informer.run() }
            defer { run.cancel() }
            await informer.waitUntilSynced()
            #expect(informer.get(namespace: "default", name: "a")?.metadata.name == "a")

            _ = try await client.create(Self.pod("b"))
            var a = try await client.get(Pod.self, name: "a")
            a.metadata.labels = ["x": "1"]
            _ = try await client.update(a)
            try await client.delete(Pod.self, name: "b")
            try await waitFor("the informer to see b come and go") {
                recorder.all == ["added a", "added b", "updated a", "deleted b"]
            }
            #expect(informer.get("default/a")?.metadata.labels == ["x": "1"])
            #expect(informer.get("default/b") == nil)
        }
    }

    @Test func relistsWhenItsRevisionIsCompacted() async throws {
        try await Self.withServer { client, store in
            let informer = Informer<Pod>(client: client, configuration: .init(namespace: "default"))
            let recorder = Recorder()
            informer.addHandlers(recorder.handlers)
            // Start, then cut every watch off by closing the stream: compacting past the informer's
            // revision makes its next watch 410, which must lead to a fresh list.
            let run = Task { await informer.run() }
            defer { run.cancel() }
            await informer.waitUntilSynced()
            #expect(informer.listCount == 1)
            _ = try await client.create(Self.pod("c"))
            try await waitFor("c in the cache") { informer.get("default/c") != nil }
            try await store.compact(upTo: try await store.currentRevision())
            // A new watch from an old revision is what a broken stream leads to; force one by
            // asking the server directly, as the informer would after a disconnect.
            await #expect(throws: APIError.self) {
                for try await _ in client.watch(Pod.self, namespace: "default", resourceVersion: "1") {}
            }
            #expect(informer.get("default/c") != nil)
        }
    }

    @Test func resyncCallsUpdatedForEveryObjectOnTheClock() async throws {
        try await Self.withServer { client, _ in
            _ = try await client.create(Self.pod("r"))
            let clock = ManualClock()
            let informer = Informer<Pod>(
                client: client, configuration: .init(namespace: "default", resyncPeriod: .seconds(30)), clock: clock)
            let recorder = Recorder()
            informer.addHandlers(recorder.handlers)
            let run = Task { await informer.run() }
            defer { run.cancel() }
            await informer.waitUntilSynced()
            try await waitFor("the resync timer") { clock.sleeperCount == 1 }
            clock.advance(by: .seconds(30))
            try await waitFor("a resync") { recorder.all == ["added r", "updated r"] }
        }
    }

    @Test func keepsRetryingUntilTheMasterAnswers() async throws {
        let clock = ManualClock()
        let client = OrcaClient(configuration: {
            var c = OrcaClient.Configuration(baseURL: "http://127.0.0.1:1")
            c.retryConnecting = false
            return c
        }())
        let informer = Informer<Pod>(client: client, clock: clock)
        let run = Task { await informer.run() }
        try await waitFor("the first backoff") { clock.sleeperCount == 1 }
        #expect(!informer.hasSynced)
        clock.advance(by: .milliseconds(100))
        try await waitFor("the second, doubled backoff") { clock.sleeperCount == 1 }
        run.cancel()
        clock.advance(by: .seconds(10))
        await run.value
    }
}
