import Foundation
import OrcaAPI
@testable import OrcaAPIServer
import OrcaClient
import OrcaStore
import Testing

@Suite struct WatchTests {
    /// Collects `count` events from a sequence, failing with what it saw if they do not come.
    static func take<S: AsyncSequence & Sendable>(_ count: Int, from sequence: S, what: String) async throws
        -> [S.Element] where S.Element: Sendable {
        try await withThrowingTaskGroup(of: [S.Element]?.self) { group in
            group.addTask {
                var out: [S.Element] = []
                for try await element in sequence {
                    out.append(element)
                    if out.count == count { break }
                }
                return out
            }
            group.addTask {
                try await Task.sleep(for: .seconds(20))
                return nil
            }
            let first = try await group.next()!
            group.cancelAll()
            guard let events = first else {
                Issue.record("timed out waiting for \(count) \(what)")
                return []
            }
            return events
        }
    }

    @Test func registryWatchDeliversTypedFilteredEvents() async throws {
        let store = InMemoryStore()
        let registry = ResourceRegistry<Pod>(store: store, rules: .withStatus(initial: PodStatus(phase: .pending)))
        let start = try await store.currentRevision()
        let query = try RequestQuery([("labelSelector", "app=web")], version: .v1)
        let events = try await registry.watch(namespace: "default", from: start, query: query)

        func pod(_ name: String, _ app: String) -> Pod {
            Pod(metadata: ObjectMeta(name: name, labels: ["app": app]),
                spec: PodSpec(containers: [Container(name: "c", image: "busybox")]))
        }
        _ = try await registry.create(pod("a", "web"), namespace: "default")
        _ = try await registry.create(pod("b", "db"), namespace: "default")
        _ = try await registry.guaranteedUpdate(namespace: "default", name: "a") { $0.metadata.annotations = ["x": "1"] }
        _ = try await registry.delete(namespace: "default", name: "a")

        let got = try await Self.take(3, from: events, what: "events for app=web")
        #expect(got.map(\.type) == [.added, .modified, .deleted])
        #expect(got.map(\.object.metadata.name) == ["a", "a", "a"])
        #expect(got[1].object.metadata.annotations == ["x": "1"])
    }

    @Test func compactedRevisionIsGone() async throws {
        let store = InMemoryStore()
        let registry = ResourceRegistry<Pod>(store: store)
        for i in 0..<3 {
            _ = try await registry.create(
                Pod(metadata: ObjectMeta(name: "p\(i)"), spec: PodSpec(containers: [Container(name: "c", image: "x")])),
                namespace: "default")
        }
        try await store.compact(upTo: try await store.currentRevision())
        await #expect(throws: APIError.self) {
            _ = try await registry.watch(namespace: nil, from: 1, query: .all)
        }
        try await TestServer.make(store: store).run { api in
            let reply = try await api.send(.get, "/api/v1/pods?watch=true&resourceVersion=1")
            #expect(reply.code == 410)
            #expect(reply.status?.reason == "Expired")
        }
    }

    @Test func httpWatchStreamsEventsToAClient() async throws {
        try await TestServer.make().run(.live) { api in
            let port = try #require(api.client.port)
            let client = OrcaClient(baseURL: "http://127.0.0.1:\(port)")
            let created = try await client.create(
                Pod(metadata: ObjectMeta(name: "w1"), spec: PodSpec(containers: [Container(name: "c", image: "x")])),
                namespace: "default")
            let rv = try #require(created.metadata.resourceVersion)
            let stream = client.watch(Pod.self, namespace: "default", resourceVersion: rv)
            let events = Task { try await Self.take(2, from: stream, what: "pod events over HTTP") }
            _ = try await client.create(
                Pod(metadata: ObjectMeta(name: "w2"), spec: PodSpec(containers: [Container(name: "c", image: "x")])),
                namespace: "default")
            try await client.delete(Pod.self, name: "w1", namespace: "default")
            let got = try await events.value
            #expect(got.map(\.type) == [.added, .deleted])
            #expect(got.map(\.object.metadata.name) == ["w2", "w1"])
        }
    }
}
