@testable import OrcaControllers
import OrcaAPI
import Synchronization
import Testing

/// The indexes the replication manager and the endpoints controller keep beside their informers,
/// and the slow-start writer.
@Suite struct ReplicationIndexTests {
    typealias F = ReplicationFixtures

    @Test func podLabelIndexFindsPodsBySelector() {
        var index = PodLabelIndex()
        index.set(namespace: "default", name: "a", labels: ["app": "web", "tier": "front"])
        index.set(namespace: "default", name: "b", labels: ["app": "web", "tier": "back"])
        index.set(namespace: "default", name: "c", labels: ["app": "db"])
        index.set(namespace: "prod", name: "a", labels: ["app": "web"])
        #expect(index.names(namespace: "default", matching: ["app": "web"]) == ["a", "b"])
        #expect(index.names(namespace: "default", matching: ["app": "web", "tier": "back"]) == ["b"])
        #expect(index.names(namespace: "default", matching: ["app": "web", "tier": "nope"]) == [])
        #expect(index.names(namespace: "default", matching: [:]) == [])
        #expect(index.names(namespace: "prod", matching: ["app": "web"]) == ["a"])
        #expect(index.names(namespace: "none", matching: ["app": "web"]) == [])

        index.set(namespace: "default", name: "a", labels: ["app": "db"])
        #expect(index.names(namespace: "default", matching: ["app": "web"]) == ["b"])
        #expect(index.names(namespace: "default", matching: ["app": "db"]) == ["a", "c"])
        #expect(index.names(namespace: "default", matching: ["tier": "front"]) == [])
        index.remove(namespace: "default", name: "c")
        index.remove(namespace: "default", name: "missing")
        #expect(index.names(namespace: "default", matching: ["app": "db"]) == ["a"])
        #expect(index.count == 3)
    }

    @Test func selectorIndexFindsSelectingObjects() {
        var index = SelectorIndex()
        index.set(namespace: "default", name: "web", selector: ["app": "web"])
        index.set(namespace: "default", name: "front", selector: ["app": "web", "tier": "front"])
        index.set(namespace: "default", name: "none", selector: nil)
        index.set(namespace: "prod", name: "web", selector: ["app": "web"])
        #expect(Set(index.names(namespace: "default", selecting: ["app": "web", "tier": "front"])) == ["web", "front"])
        #expect(index.names(namespace: "default", selecting: ["app": "web"]) == ["web"])
        #expect(index.names(namespace: "default", selecting: nil) == [])
        index.set(namespace: "default", name: "web", selector: [:])
        #expect(index.names(namespace: "default", selecting: ["app": "web"]) == [])
        index.remove(namespace: "prod", name: "web")
        #expect(index.names(namespace: "prod", selecting: ["app": "web"]) == [])
    }

    @Test func ownerIndexFollowsControllerReferences() {
        let rc = F.rc(replicas: 1)
        var index = ReplicationOwnerIndex()
        let owned = F.pod("a", owner: rc)
        index.set(owned)
        index.set(F.pod("orphan"))
        #expect(ReplicationOwnerIndex.controllerKey(of: owned) == "default/web")
        #expect(index.podNames(controlledBy: "default/web") == ["a"])
        // Released: no longer indexed under the controller.
        index.set(F.pod("a"))
        #expect(index.podNames(controlledBy: "default/web") == [])
        index.set(owned)
        index.remove(owned)
        #expect(index.podNames(controlledBy: "default/web") == [])
        // A non-controller owner reference does not count.
        var pod = F.pod("b")
        pod.metadata.ownerReferences = [OwnerReference(kind: "ReplicationController", name: "web", uid: "u",
                                                       controller: false)]
        #expect(ReplicationOwnerIndex.controllerKey(of: pod) == nil)
    }

    @Test func boundedWritesSlowStartAndStopAtAFailure() async {
        struct Boom: Error {}
        let inFlight = Mutex((now: 0, most: 0, tried: [Int]()))
        let outcome = await BoundedWrites.run(Array(0..<100), maxInFlight: 4) { item in
            inFlight.withLock { $0.now += 1; $0.most = max($0.most, $0.now); $0.tried.append(item) }
            try? await Task.sleep(for: .milliseconds(1))
            inFlight.withLock { $0.now -= 1 }
            if item == 5 { throw Boom() }
        }
        // Batches of 1, 2, 4: the third holds item 5, so 7 were tried.
        #expect(outcome.attempted == 7)
        #expect(outcome.errors.count == 1)
        #expect(inFlight.withLock { $0.most } <= 4)
        #expect(inFlight.withLock { $0.tried.sorted() } == Array(0..<7))

        let all = await BoundedWrites.run(Array(0..<50), maxInFlight: 16) { _ in }
        #expect(all.attempted == 50)
        #expect(all.errors.isEmpty)
    }

    @Test func endpointsCareOnlyAboutWhatTheyShow() {
        let pod = EndpointsReconcilerTests.pod("a", ip: "10.244.1.2")
        var heartbeat = pod
        heartbeat.status?.startTime = .now()
        heartbeat.metadata.resourceVersion = "99"
        #expect(!EndpointsLoop.mattersToEndpoints(old: pod, new: heartbeat))
        var unready = pod
        unready.status?.conditions = [PodCondition(type: "Ready", status: "False")]
        #expect(EndpointsLoop.mattersToEndpoints(old: pod, new: unready))
        var moved = pod
        moved.status?.podIP = "10.244.1.3"
        #expect(EndpointsLoop.mattersToEndpoints(old: pod, new: moved))
    }
}
