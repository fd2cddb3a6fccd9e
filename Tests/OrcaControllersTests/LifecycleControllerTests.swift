import Logging
import OrcaAPI
import OrcaClient
import OrcaControllers
import OrcaTesting
import Testing

/// The lifecycle controller against a real API server in process, its time on a manual clock.
@Suite struct LifecycleControllerTests {
    typealias F = LifecycleFixtures

    @Test func aSilentMinionIsMarkedNotReadyItsPodsFailThenGoAndItComesBack() async throws {
        try await LocalMaster.withMaster { master in
            let client = master.client
            for name in ["m1", "m2"] {
                _ = try await client.create(Self.registration(name, heartbeat: 0))
                _ = try await client.create(Pod(
                    metadata: ObjectMeta(name: "web-\(name)", namespace: "default"),
                    spec: PodSpec(containers: [Container(name: "web", image: "nginx")])))
                try await client.bind(pod: "web-\(name)", node: name)
            }
            // A pod a replication controller owns: its controller replaces it, so it just goes.
            var owned = ObjectMeta(name: "owned-m1", namespace: "default")
            owned.ownerReferences = [OwnerReference(kind: "ReplicationController", name: "rc", uid: "rc-uid")]
            _ = try await client.create(Pod(metadata: owned, spec: PodSpec(containers: [Container(name: "web", image: "nginx")])))
            try await client.bind(pod: "owned-m1", node: "m1")
            let bareUID = try await client.get(Pod.self, name: "web-m1").metadata.uid
            let clock = ManualClock()
            var logger = Logger(label: "test.lifecycle")
            logger.logLevel = .error
            let controller = MinionLifecycleController(client: client, clock: clock, logger: logger)

            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await controller.run() }
                defer { group.cancelAll() }
                try await eventually("the controller lists both minions") {
                    controller.hasSynced && controller.silence(ofMinion: "m1") != nil
                        && controller.silence(ofMinion: "m2") != nil
                }
                /// m2 heartbeats every 5 s (controller time); m1 has stopped.
                func tick(to second: Int) async throws {
                    if second % 5 == 0 {
                        _ = try await client.updateStatus(Self.registration("m2", heartbeat: second))
                        try await eventually("the controller sees m2's heartbeat at \(second) s") {
                            controller.silence(ofMinion: "m2") == .zero
                        }
                    }
                    clock.advance(by: .seconds(1))
                }

                for second in 0..<15 { try await tick(to: second) }
                // 15 s after the controller first saw it: still within the grace.
                try await Task.sleep(for: .milliseconds(200))
                #expect(try await Self.ready(client, "m1") == "True")
                #expect(try await client.get(Pod.self, name: "web-m1").status?.phase == .pending)

                try await tick(to: 15)
                try await eventually("m1 is marked NotReady") { try await Self.ready(client, "m1") == "Unknown" }
                let m1 = try await client.get(Node.self, name: "m1")
                let condition = m1.status?.conditions?.first { $0.type == "Ready" }
                #expect(condition?.reason == "MinionStatusUnknown")
                #expect(condition?.message == "Minion stopped posting status")
                #expect(condition?.lastHeartbeatTime == F.time(0))
                try await eventually("web-m1 fails with NodeLost") {
                    try await client.get(Pod.self, name: "web-m1").status?.phase == .failed
                }
                let failed = try await client.get(Pod.self, name: "web-m1")
                #expect(failed.status?.reason == "NodeLost")
                #expect(failed.status?.message == "Minion m1 which was running pod web-m1 is unresponsive")
                #expect(try await Self.ready(client, "m2") == "True")
                #expect(try await client.get(Pod.self, name: "web-m2").status?.phase == .pending)
                let events = try await client.list(Event.self, namespace: "default",
                                                   fieldSelector: "involvedObject.name=m1")
                #expect(events.items.contains { $0.reason == "NodeNotReady" })

                // Lost for the eviction timeout (10 s) and a little: its pods are deleted; the bare
                // one is created again unbound, for the scheduler to place on a live minion.
                for second in 16..<25 { try await tick(to: second) }
                try await Task.sleep(for: .milliseconds(200))
                #expect(try await Self.exists(client, pod: "web-m1"))
                try await tick(to: 25)
                try await eventually("owned-m1 is deleted") { try await !Self.exists(client, pod: "owned-m1") }
                try await eventually("web-m1 is created again, unbound") {
                    let pod = try? await client.get(Pod.self, name: "web-m1")
                    return pod != nil && pod?.metadata.uid != bareUID && (pod?.spec?.nodeName ?? "").isEmpty
                }
                #expect(try await Self.exists(client, pod: "web-m2"))

                // m1 comes back: it writes Ready itself, and the controller leaves it alone.
                _ = try await client.updateStatus(Self.registration("m1", heartbeat: 26))
                try await eventually("the controller sees m1's heartbeat") {
                    controller.silence(ofMinion: "m1") == .zero
                }
                for second in 26..<40 {
                    if second % 5 == 0 {
                        _ = try await client.updateStatus(Self.registration("m1", heartbeat: second))
                        try await eventually("the controller sees m1's heartbeat at \(second) s") {
                            controller.silence(ofMinion: "m1") == .zero
                        }
                    }
                    try await tick(to: second)
                }
                try await Task.sleep(for: .milliseconds(200))
                #expect(try await Self.ready(client, "m1") == "True")
                #expect(try await Self.ready(client, "m2") == "True")
            }
        }
    }

    @Test func aMinionDeletedFromTheAPIIsForgotten() async throws {
        try await LocalMaster.withMaster { master in
            let client = master.client
            _ = try await client.create(Self.registration("gone", heartbeat: 0))
            let clock = ManualClock()
            var logger = Logger(label: "test.lifecycle")
            logger.logLevel = .error
            let controller = MinionLifecycleController(client: client, clock: clock, logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await controller.run() }
                defer { group.cancelAll() }
                try await eventually("the controller sees the minion") {
                    controller.silence(ofMinion: "gone") != nil
                }
                try await client.delete(Node.self, name: "gone")
                try await eventually("the controller forgets the minion") {
                    controller.silence(ofMinion: "gone") == nil
                }
            }
        }
    }

    // MARK: Helpers

    /// A minion as it registers or heartbeats: `Ready` True, heartbeat at `heartbeat` seconds.
    static func registration(_ name: String, heartbeat: Int) -> Node {
        var node = F.node(name, heartbeat: heartbeat)
        node.metadata.uid = nil
        node.metadata.resourceVersion = nil
        node.spec?.podCIDR = nil
        return node
    }

    static func ready(_ client: OrcaClient, _ node: String) async throws -> String? {
        try await client.get(Node.self, name: node).status?.conditions?.first { $0.type == "Ready" }?.status
    }

    static func exists(_ client: OrcaClient, pod: String) async throws -> Bool {
        do {
            _ = try await client.get(Pod.self, name: pod)
            return true
        } catch let error as APIError where error.reason == .notFound {
            return false
        }
    }
}

/// Polls `condition` until it holds; records an issue naming `what` and throws after `timeout`.
func eventually(_ what: String, timeout: Duration = .seconds(10),
                _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return }
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out after \(timeout) waiting until \(what)")
            throw LifecycleTestTimeout(what: what)
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}

struct LifecycleTestTimeout: Error {
    var what: String
}
