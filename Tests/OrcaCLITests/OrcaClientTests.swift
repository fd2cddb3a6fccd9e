import Foundation
import OrcaAPI
import OrcaClient
import Testing
import OrcaTesting

@Suite("OrcaClient without a master")
struct OrcaClientPureTests {
    @Test("paths of namespaced and cluster-scoped kinds")
    func paths() {
        #expect(APIPath.v1(Pod.self, namespace: "default") == "/api/v1/namespaces/default/pods")
        #expect(APIPath.v1(Pod.self, namespace: nil) == "/api/v1/pods")
        #expect(APIPath.v1(Pod.self, namespace: "ci", name: "web", subresource: "binding")
            == "/api/v1/namespaces/ci/pods/web/binding")
        #expect(APIPath.v1(Node.self, namespace: "default", name: "10.245.2.2") == "/api/v1/nodes/10.245.2.2")
        #expect(APIPath.v1(ReplicationController.self, namespace: "default", name: "a", subresource: "scale")
            == "/api/v1/namespaces/default/replicationcontrollers/a/scale")
        #expect(APIPath.query([("labelSelector", "name in (a,b)"), ("limit", nil)])
            == "?labelSelector=name%20in%20%28a%2Cb%29")
        #expect(APIPath.query([("x", nil)]) == "")
    }

    @Test("a Status body becomes the APIError it describes")
    func statusBodies() {
        let body = JSON.encode(APIError.notFound("pods", "x").status)
        let error = OrcaClient.apiError(status: 404, body: body)
        #expect(error == APIError.notFound("pods", "x"))
        #expect(error.reason == .notFound && error.code == 404)
        let stale = JSON.encode(APIError.conflict("pods", "x", "stale").status)
        let conflict = OrcaClient.apiError(status: 409, body: stale)
        #expect(conflict.reason == .conflict)
    }

    @Test("a body that is not a Status still gets a reason from the HTTP code")
    func otherBodies() {
        let missing = OrcaClient.apiError(status: 404, body: Data())
        #expect(missing.reason == .notFound)
        #expect(missing.message == "the server answered 404")
        let proxy = OrcaClient.apiError(status: 502, body: Data("<html>bad gateway</html>".utf8))
        #expect(proxy.reason == .unknown && proxy.code == 502)
        #expect(proxy.message == "the server answered 502: <html>bad gateway</html>")
    }

    @Test("watch lines: events decode, ERROR throws its Status, unknown types and blank lines are skipped")
    func watchLines() throws {
        let pod = Pod(metadata: ObjectMeta(name: "p", namespace: "default"))
        let added = try OrcaClient.watchEvent(
            Pod.self, line: Data(#"{"type":"ADDED","object":"#.utf8) + JSON.encode(pod) + Data("}".utf8))
        #expect(added?.type == .added && added?.object == pod)
        #expect(try OrcaClient.watchEvent(Pod.self, line: Data(#"{"type":"BOOKMARK","object":{}}"#.utf8)) == nil)
        #expect(try OrcaClient.watchEvent(Pod.self, line: Data("  \r".utf8)) == nil)
        let gone = APIError(.gone, "too old resource version: 1 (5)")
        let line = Data(#"{"type":"ERROR","object":"#.utf8) + JSON.encode(gone.status) + Data("}".utf8)
        #expect(throws: gone) { try OrcaClient.watchEvent(Pod.self, line: line) }
        #expect(throws: OrcaClientError.self) { try OrcaClient.watchEvent(Pod.self, line: Data("{".utf8)) }
    }

    @Test("an unreachable master is named with the reason")
    func unreachable() async throws {
        let port = try LocalMaster.freePort()
        var configuration = OrcaClient.Configuration(baseURL: "http://127.0.0.1:\(port)/")
        configuration.retryConnecting = false
        let client = OrcaClient.owned(configuration: configuration)
        let refused = OrcaClientError.unreachable(master: "http://127.0.0.1:\(port)", reason: "connection refused")
        await #expect(throws: refused) {
            _ = try await client.get(Pod.self, name: "x")
        }
        try await client.shutdown()
    }
}

@Suite("OrcaClient against orca master", .serialized)
struct OrcaClientLiveTests {
    @Test("typed verbs, errors by reason, compare-and-swap, bind, scale")
    func verbs() async throws {
        try await MasterProcess.with(controlLoops: false) { master in
            let client = OrcaClient(baseURL: master.url)
            let pod = Pod(
                metadata: ObjectMeta(name: "web", labels: ["name": "web"]),
                spec: PodSpec(containers: [Container(name: "web", image: "nginx")]))
            let created = try await client.create(pod)
            #expect(created.metadata.namespace == "default" && created.metadata.uid != nil)
            #expect(created.status?.phase == .pending)
            #expect(try await client.get(Pod.self, name: "web") == created)

            #expect(try await client.list(Pod.self, namespace: "default", labelSelector: "name=web").items.count == 1)
            #expect(try await client.list(Pod.self, labelSelector: "name=other").items.isEmpty)

            await #expect(throws: APIError.self) { _ = try await client.create(pod) }
            do {
                _ = try await client.get(Pod.self, name: "missing")
                Issue.record("a missing pod was found")
            } catch let error as APIError {
                #expect(error.reason == .notFound && error.message == "pods \"missing\" not found")
            }

            var changed = created
            changed.metadata.labels = ["name": "web", "tier": "front"]
            let updated = try await client.update(changed)
            #expect(updated.metadata.labels?["tier"] == "front")
            do {
                _ = try await client.update(changed)  // still carries the old resourceVersion
                Issue.record("a stale update was accepted")
            } catch let error as APIError {
                #expect(error.reason == .conflict)
            }

            try await client.bind(pod: "web", node: "10.245.2.2")
            #expect(try await client.get(Pod.self, name: "web").spec?.nodeName == "10.245.2.2")

            let rc = ReplicationController(
                metadata: ObjectMeta(name: "web"),
                spec: ReplicationControllerSpec(
                    replicas: 1, selector: ["name": "web"],
                    template: PodTemplateSpec(metadata: ObjectMeta(labels: ["name": "web"]),
                                              spec: PodSpec(containers: [Container(name: "web", image: "nginx")]))))
            _ = try await client.create(rc)
            let scale = try await client.scale(replicationController: "web", replicas: 3)
            #expect(scale.spec?.replicas == 3)
            #expect(try await client.scale(ofReplicationController: "web").spec?.replicas == 3)
            #expect(try await client.get(ReplicationController.self, name: "web").spec?.replicas == 3)

            try await client.delete(Pod.self, name: "web")
            await #expect(throws: APIError.notFound("pods", "web")) { try await client.delete(Pod.self, name: "web") }
        }
    }

    @Test("watch from a list's resourceVersion sees ADDED, MODIFIED, DELETED")
    func watch() async throws {
        try await MasterProcess.with(controlLoops: false) { master in
            let client = OrcaClient(baseURL: master.url)
            let start = try await client.list(Pod.self, namespace: "default").metadata.resourceVersion
            let events = client.watch(Pod.self, namespace: "default", resourceVersion: start)
            let pod = try await client.create(Pod(
                metadata: ObjectMeta(name: "w"), spec: PodSpec(containers: [Container(name: "c", image: "busybox")])))
            var changed = pod
            changed.metadata.labels = ["x": "y"]
            _ = try await client.update(changed)
            try await client.delete(Pod.self, name: "w")

            let seen = try await firstEvents(events, count: 3, within: .seconds(20))
            #expect(seen.map(\.type) == [.added, .modified, .deleted])
            #expect(seen.allSatisfy { $0.object.metadata.name == "w" })
        }
    }
}

/// The first `count` events of a stream, or a failure naming what arrived when `limit` passes.
func firstEvents<T: APIObject>(
    _ stream: AsyncThrowingStream<WatchEvent<T>, any Error>, count: Int, within limit: Duration
) async throws -> [WatchEvent<T>] {
    try await withThrowingTaskGroup(of: [WatchEvent<T>]?.self) { group in
        group.addTask {
            var seen: [WatchEvent<T>] = []
            for try await event in stream {
                seen.append(event)
                if seen.count == count { break }
            }
            return seen
        }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let events = first else {
            throw DaemonError("waited \(limit) for \(count) watch events")
        }
        return events
    }
}
