import Foundation
import OrcaAPI
import OrcaClient
import OrcaTesting
import Testing

/// The master's control loops against a real API server and hollow minions, over HTTP.
@Suite struct ClusterTests {
    static func rc(_ name: String, replicas: Int, hostPort: Int? = nil, cpu: String? = nil) -> ReplicationController {
        var container = Container(name: name, image: "busybox")
        if let hostPort { container.ports = [ContainerPort(containerPort: 8080, hostPort: hostPort)] }
        if let cpu { container.resources = ResourceRequirements(requests: ["cpu": Quantity(cpu)!]) }
        return ReplicationController(
            metadata: ObjectMeta(name: name),
            spec: ReplicationControllerSpec(
                replicas: replicas, selector: ["name": name],
                template: PodTemplateSpec(metadata: ObjectMeta(labels: ["name": name]),
                                          spec: PodSpec(containers: [container]))))
    }

    static func pod(_ name: String, labels: [String: String] = [:], hostPort: Int? = nil, memory: String? = nil) -> Pod {
        var container = Container(name: "c", image: "busybox")
        if let hostPort { container.ports = [ContainerPort(containerPort: 8080, hostPort: hostPort)] }
        if let memory { container.resources = ResourceRequirements(requests: ["memory": Quantity(memory)!]) }
        return Pod(metadata: ObjectMeta(name: name, labels: labels), spec: PodSpec(containers: [container]))
    }

    @Test func replicationControllerRunsItsPodsSpreadAndResizes() async throws {
        try await TestCluster.with(minions: 3) { cluster in
            _ = try await cluster.client.create(Self.rc("web", replicas: 3))
            try await cluster.waitFor("3 running pods of web") { try await cluster.runningPods("name=web").count == 3 }
            let hosts = Set(try await cluster.runningPods("name=web").compactMap(\.spec?.nodeName))
            #expect(hosts.count == 3, "spread over the 3 minions: \(hosts)")
            try await cluster.waitFor("status.replicas 3") {
                try await cluster.client.get(ReplicationController.self, name: "web").status?.replicas == 3
            }

            _ = try await cluster.client.scale(replicationController: "web", replicas: 5)
            try await cluster.waitFor("5 running pods") { try await cluster.runningPods("name=web").count == 5 }
            // Never more than asked, once converged.
            #expect(try await cluster.pods("name=web").count == 5)

            _ = try await cluster.client.scale(replicationController: "web", replicas: 0)
            try await cluster.waitFor("no pods of web") { try await cluster.pods("name=web").isEmpty }
        }
    }

    @Test func aDeletedPodIsReplaced() async throws {
        try await TestCluster.with(minions: 2) { cluster in
            _ = try await cluster.client.create(Self.rc("job", replicas: 2))
            try await cluster.waitFor("2 running pods") { try await cluster.runningPods("name=job").count == 2 }
            let victim = try #require(try await cluster.runningPods("name=job").first?.metadata.name)
            try await cluster.client.delete(Pod.self, name: victim)
            try await cluster.waitFor("a replacement running") {
                let running = try await cluster.runningPods("name=job")
                return running.count == 2 && !running.contains { $0.metadata.name == victim }
            }
        }
    }

    @Test func deletingAControllerDeletesItsPods() async throws {
        try await TestCluster.with(minions: 1) { cluster in
            _ = try await cluster.client.create(Self.rc("gone", replicas: 2))
            try await cluster.waitFor("2 running pods") { try await cluster.runningPods("name=gone").count == 2 }
            try await cluster.client.delete(ReplicationController.self, name: "gone")
            try await cluster.waitFor("its pods deleted") { try await cluster.pods("name=gone").isEmpty }
        }
    }

    @Test func aSecondPodOnTheSameHostPortStaysPendingWithTheReason() async throws {
        try await TestCluster.with(minions: 1) { cluster in
            _ = try await cluster.client.create(Self.pod("first", hostPort: 8080))
            try await cluster.waitFor("the first pod running") { try await cluster.runningPods().count == 1 }
            _ = try await cluster.client.create(Self.pod("second", hostPort: 8080))
            try await cluster.waitFor("PodScheduled=False on the second pod") {
                let pod = try await cluster.client.get(Pod.self, name: "second")
                return pod.status?.conditions?.contains { $0.type == "PodScheduled" && $0.status == "False" } == true
            }
            let pod = try await cluster.client.get(Pod.self, name: "second")
            #expect(pod.status?.phase == .pending)
            let boundTo = pod.spec?.nodeName ?? ""
            #expect(boundTo.isEmpty)
            let condition = pod.status?.conditions?.first { $0.type == "PodScheduled" }
            #expect(condition?.message?.contains("8080") == true, "\(condition?.message ?? "")")
            try await cluster.waitFor("a FailedScheduling event") {
                try await cluster.client.list(Event.self, namespace: "default").items.contains {
                    $0.involvedObject.name == "second" && $0.reason == "FailedScheduling"
                }
            }
            // Freeing the port lets it run.
            try await cluster.client.delete(Pod.self, name: "first")
            try await cluster.waitFor("the second pod running") {
                try await cluster.runningPods().map(\.metadata.name) == ["second"]
            }
        }
    }

    @Test func aPodLargerThanAnyMinionStaysPending() async throws {
        try await TestCluster.with(minions: 2) { cluster in
            _ = try await cluster.client.create(Self.pod("huge", memory: "64Gi"))
            try await cluster.waitFor("PodScheduled=False naming memory") {
                let pod = try await cluster.client.get(Pod.self, name: "huge")
                return pod.status?.conditions?.contains {
                    $0.type == "PodScheduled" && $0.status == "False" && ($0.message ?? "").contains("memory")
                } == true
            }
            #expect(try await cluster.client.get(Pod.self, name: "huge").status?.phase == .pending)
        }
    }

    @Test func podsOfASilencedMinionAreReplacedOnTheOthers() async throws {
        try await TestCluster.with(minions: 3) { cluster in
            _ = try await cluster.client.create(Self.rc("ha", replicas: 3))
            try await cluster.waitFor("3 running pods") { try await cluster.runningPods("name=ha").count == 3 }
            let lost = try #require(try await cluster.runningPods("name=ha").first?.spec?.nodeName)
            try #require(cluster.minions.minion(named: lost)).silence()
            try await cluster.waitFor("the silent minion NotReady", timeout: .seconds(60)) {
                try await !cluster.client.get(Node.self, name: lost).isReady
            }
            try await cluster.waitFor("3 running pods, none on the lost minion", timeout: .seconds(60)) {
                let running = try await cluster.runningPods("name=ha")
                return running.count == 3 && running.allSatisfy { $0.spec?.nodeName != lost }
            }
            // It comes back Ready once it heartbeats again.
            try #require(cluster.minions.minion(named: lost)).resume()
            try await cluster.waitFor("the minion Ready again", timeout: .seconds(60)) {
                try await cluster.client.get(Node.self, name: lost).isReady
            }
        }
    }

    @Test func endpointsFollowPodsComingAndGoing() async throws {
        try await TestCluster.with(minions: 2) { cluster in
            let service = Service(
                metadata: ObjectMeta(name: "web"),
                spec: ServiceSpec(ports: [ServicePort(port: 80, targetPort: .int(8080))], selector: ["name": "web"]))
            _ = try await cluster.client.create(service)
            _ = try await cluster.client.create(Self.rc("web", replicas: 2))
            func addresses() async throws -> Set<String> {
                let endpoints = try? await cluster.client.get(Endpoints.self, name: "web")
                return Set(endpoints?.subsets?.flatMap { $0.addresses ?? [] }.map(\.ip) ?? [])
            }
            try await cluster.waitFor("2 endpoint addresses matching the running pods") {
                let ips = Set(try await cluster.runningPods("name=web").compactMap(\.status?.podIP))
                let listed = try await addresses()
                return ips.count == 2 && listed == ips
            }
            _ = try await cluster.client.scale(replicationController: "web", replicas: 3)
            try await cluster.waitFor("3 endpoint addresses") { try await addresses().count == 3 }
            _ = try await cluster.client.scale(replicationController: "web", replicas: 1)
            try await cluster.waitFor("1 endpoint address") {
                let ips = Set(try await cluster.runningPods("name=web").compactMap(\.status?.podIP))
                let listed = try await addresses()
                return listed.count == 1 && listed == ips
            }
            let endpoints = try await cluster.client.get(Endpoints.self, name: "web")
            #expect(endpoints.subsets?.first?.ports?.first?.port == 8080)
        }
    }
}
