import Logging
import OrcaAPI
import OrcaClient
import OrcaScheduler
import OrcaTesting
import Testing

/// The scheduling service against a real API server in this process (no controllers, no
/// kubelets): minions are registered by hand, pods are created bare.
@Suite(.serialized) struct SchedulerServiceTests {
    @Test func aTakenHostPortLeavesThePodPendingWithTheReasonUntilAMinionIsAdded() async throws {
        try await Self.withScheduler { client in
            for name in ["m1", "m2"] { _ = try await client.create(Self.node(name)) }
            for name in ["a", "b", "c"] {
                _ = try await client.create(Fixtures.pod(name, hostPorts: [HostPort(port: 8080)]))
            }
            let expected = "0/2 minions available: 2 hostPort 8080 in use"
            var pending: Pod?
            try await Self.waitFor("two pods bound and one unschedulable") {
                let pods = try await client.list(Pod.self, namespace: "default").items
                let bound = pods.compactMap { $0.spec?.nodeName }.filter { !$0.isEmpty }
                pending = pods.first { ($0.spec?.nodeName ?? "").isEmpty }
                return Set(bound) == ["m1", "m2"] && Self.scheduledCondition(pending)?.message == expected
            }
            let condition = try #require(Self.scheduledCondition(pending))
            #expect(condition.status == "False")
            #expect(condition.reason == "Unschedulable")
            let name = try #require(pending?.metadata.name)
            try await Self.waitFor("a FailedScheduling event") {
                try await Self.events(client, about: name).contains { $0.message == expected }
            }
            let event = try #require(try await Self.events(client, about: name).first)
            #expect(event.reason == "FailedScheduling")
            #expect(event.type == "Warning")
            #expect(event.source?.component == "scheduler")
            #expect(event.involvedObject.kind == "Pod")

            // A new minion is a reason to try again at once.
            _ = try await client.create(Self.node("m3"))
            try await Self.waitFor("\(name) bound to m3") {
                try await client.get(Pod.self, name: name).spec?.nodeName == "m3"
            }
        }
    }

    @Test func aPodTooBigForAnyMinionGetsOneEventHoweverOftenItIsRetried() async throws {
        try await Self.withScheduler { client in
            for name in ["m1", "m2"] { _ = try await client.create(Self.node(name, cpu: "2")) }
            _ = try await client.create(Fixtures.pod("huge", cpu: "3"))
            let expected = "0/2 minions available: 2 insufficient cpu"
            try await Self.waitFor("the unschedulable condition") {
                Self.scheduledCondition(try await client.get(Pod.self, name: "huge"))?.message == expected
            }
            // Retries every 50 ms, doubling: several within half a second.
            try await Task.sleep(for: .milliseconds(500))
            // The scheduler may have seen one minion before the other, so an earlier verdict
            // ("0/1 ...") can have its own event; each distinct verdict has exactly one.
            let events = try await Self.events(client, about: "huge")
            #expect(events.filter { $0.message == expected }.count == 1)
            let messages = events.compactMap(\.message)
            #expect(Set(messages).count == messages.count, "one event per verdict: \(messages)")
            #expect(try await client.get(Pod.self, name: "huge").spec?.nodeName ?? "" == "")
        }
    }

    @Test func podsOfOneControllerSpreadOverTheMinions() async throws {
        try await Self.withScheduler { client in
            for name in ["m1", "m2", "m3"] { _ = try await client.create(Self.node(name)) }
            for index in 0..<3 { _ = try await client.create(Fixtures.pod("web-\(index)", cpu: "100m", owner: "web")) }
            try await Self.waitFor("3 pods on 3 minions") {
                let nodes = try await client.list(Pod.self, namespace: "default").items.compactMap(\.spec?.nodeName)
                return Set(nodes.filter { !$0.isEmpty }) == ["m1", "m2", "m3"]
            }
        }
    }

    @Test func manyPodsAreAllBoundWithinCapacity() async throws {
        try await Self.withScheduler { client in
            for index in 0..<10 { _ = try await client.create(Self.node("m\(index)", cpu: "1")) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<200 {
                    group.addTask { _ = try await client.create(Fixtures.pod("p\(index)", cpu: "50m", owner: "rc")) }
                }
                try await group.waitForAll()
            }
            try await Self.waitFor("200 pods bound") {
                try await client.list(Pod.self, namespace: "default", fieldSelector: "spec.nodeName=").items.isEmpty
            }
            let pods = try await client.list(Pod.self, namespace: "default").items
            let perMinion = Dictionary(grouping: pods) { $0.spec?.nodeName ?? "" }.mapValues(\.count)
            #expect(perMinion.count == 10)
            // 1 core each, 50m per pod: at most 20 per minion, so exactly 20 everywhere.
            #expect(perMinion.values.allSatisfy { $0 == 20 })
        }
    }

    // MARK: Helpers

    /// Runs a scheduler against a fresh in-process master while `body` runs.
    static func withScheduler(_ body: @Sendable (OrcaClient) async throws -> Void) async throws {
        try await LocalMaster.withMaster { master in
            var configuration = SchedulerService.Configuration()
            configuration.unschedulableBackoff = .milliseconds(50)
            var logger = Logger(label: "orca.scheduler.test")
            logger.logLevel = .warning
            let scheduler = SchedulerService(client: master.client, configuration: configuration, logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await scheduler.run() }
                defer { group.cancelAll() }
                try await body(master.client)
            }
        }
    }

    static func node(_ name: String, cpu: String = "4") -> Node {
        var node = Fixtures.node(name, cpu: cpu)
        node.metadata.namespace = nil
        return node
    }

    static func scheduledCondition(_ pod: Pod?) -> PodCondition? {
        pod?.status?.conditions?.first { $0.type == "PodScheduled" }
    }

    static func events(_ client: OrcaClient, about pod: String) async throws -> [Event] {
        try await client.list(Event.self, namespace: "default", fieldSelector: "involvedObject.name=\(pod)").items
    }

    /// Polls `condition` every 20 ms for up to 10 s; fails naming `what` when it never holds.
    static func waitFor(_ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("timed out waiting for \(what)")
        throw CancellationError()
    }
}
