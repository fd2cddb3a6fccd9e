import Foundation
import HummingbirdTesting
import OrcaAPI
import OrcaAPIServer
import OrcaClient
import OrcaStore
import Synchronization
import Testing
import OrcaTesting

@Suite struct InformerTests {
    /// Runs `body` against a live in-process API server over `store`.
    static func withServer(store: InMemoryStore = InMemoryStore(), maxWatch: Duration = .seconds(60),
                           _ body: @Sendable (OrcaClient, InMemoryStore) async throws -> Void) async throws {
        var config = APIServer.Configuration()
        config.port = 0
        config.maxWatchDuration = maxWatch
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
        // The server ends every watch quickly, so the informer keeps watching again from its
        // last resourceVersion; once that is compacted away it gets 410 and must list again.
        try await Self.withServer(maxWatch: .milliseconds(200)) { client, store in
            let informer = Informer<Pod>(client: client, configuration: .init(namespace: "default"))
            let recorder = Recorder()
            informer.addHandlers(recorder.handlers)
            let run = Task { await informer.run() }
            defer { run.cancel() }
            await informer.waitUntilSynced()
            #expect(informer.listCount == 1)
            // Changes elsewhere move the store on without moving the informer's resourceVersion.
            _ = try await client.create(Namespace(metadata: ObjectMeta(name: "other")))
            _ = try await client.create(Self.pod("elsewhere"), namespace: "other")
            _ = try await client.create(Self.pod("elsewhere-too"), namespace: "other")
            try await store.compact(upTo: try await store.currentRevision())
            _ = try await client.create(Self.pod("c"))
            try await waitFor("a relist after 410 Gone") { informer.listCount >= 2 }
            try await waitFor("c in the cache") { informer.get("default/c") != nil }
            #expect(recorder.all == ["added c"])
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
        var configuration = OrcaClient.Configuration(baseURL: "http://127.0.0.1:1")
        configuration.retryConnecting = false
        let client = OrcaClient.owned(configuration: configuration)
        defer { Task { try? await client.shutdown() } }
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

@Suite struct InformerCancellationTests {
    @Test func waitingForSyncEndsWhenTheWaiterIsCancelled() async throws {
        var configuration = OrcaClient.Configuration(baseURL: "http://127.0.0.1:1")
        configuration.retryConnecting = false
        let client = OrcaClient.owned(configuration: configuration)
        defer { Task { try? await client.shutdown() } }
        // Never run, so never synced: only cancellation can end the wait.
        let informer = Informer<Pod>(client: client)
        let waiter = Task { await informer.waitUntilSynced() }
        waiter.cancel()
        await waiter.value
        #expect(!informer.hasSynced)
    }
}
