import OrcaAPI
import OrcaClient
import OrcaControllers
import Testing

/// The replication manager against a real API server over HTTP.
@Suite struct ReplicationManagerLiveTests {
    static func manager(_ client: OrcaClient) -> ReplicationManager {
        ReplicationManager(client: client, configuration: .init(), logger: ReplicationLive.logger)
    }

    static func rc(_ name: String = "web", replicas: Int) -> ReplicationController {
        ReplicationController(
            metadata: ObjectMeta(name: name),
            spec: ReplicationControllerSpec(
                replicas: replicas, selector: ["app": name],
                template: PodTemplateSpec(metadata: ObjectMeta(labels: ["app": name]),
                                          spec: PodSpec(containers: [Container(name: "c", image: "busybox")]))))
    }

    static func pods(_ client: OrcaClient, _ app: String = "web") async throws -> [Pod] {
        try await client.list(Pod.self, namespace: "default", labelSelector: "app=\(app)").items
    }

    @Test func adoptsOrphansCreatesTheRestAndReportsStatus() async throws {
        try await ReplicationLive.with(Self.manager) { client in
            for name in ["orphan-a", "orphan-b"] {
                _ = try await client.create(Pod(metadata: ObjectMeta(name: name, labels: ["app": "web"]),
                                                spec: PodSpec(containers: [Container(name: "c", image: "busybox")])))
            }
            let rc = try await client.create(Self.rc(replicas: 3))
            try await ReplicationLive.waitFor("3 pods controlled by web") {
                let pods = try await Self.pods(client)
                return pods.count == 3 && pods.allSatisfy { $0.metadata.ownerReferences?.first?.uid == rc.metadata.uid }
            }
            let names = try await Self.pods(client).compactMap(\.metadata.name).sorted()
            #expect(names.contains("orphan-a") && names.contains("orphan-b"))
            #expect(names.filter { $0.hasPrefix("web-") }.count == 1)
            try await ReplicationLive.waitFor("status.replicas 3, readyReplicas 0") {
                let status = try await client.get(ReplicationController.self, name: "web").status
                return status?.replicas == 3 && status?.readyReplicas == 0 && status?.observedGeneration == 1
            }
            for name in names {
                try await ReplicationLive.setStatus(name, client: client, phase: .running, ready: true)
            }
            try await ReplicationLive.waitFor("readyReplicas 3") {
                try await client.get(ReplicationController.self, name: "web").status?.readyReplicas == 3
            }
        }
    }

    @Test func replacesAFailedPodThenRemovesIt() async throws {
        try await ReplicationLive.with(Self.manager) { client in
            _ = try await client.create(Self.rc(replicas: 2))
            try await ReplicationLive.waitFor("2 pods") { try await Self.pods(client).count == 2 }
            let failed = try #require(try await Self.pods(client).first?.metadata.name)
            try await ReplicationLive.setStatus(failed, client: client, phase: .failed)
            try await ReplicationLive.waitFor("a replacement, and the failed pod gone") {
                let pods = try await Self.pods(client)
                return pods.count == 2 && !pods.contains { $0.metadata.name == failed }
            }
        }
    }

    @Test func scalesUpWithoutOvercreatingThenStops() async throws {
        try await ReplicationLive.with(Self.manager) { client in
            _ = try await client.create(Self.rc(replicas: 60))
            var most = 0
            try await ReplicationLive.waitFor("60 pods") {
                let count = try await Self.pods(client).count
                most = max(most, count)
                return count == 60
            }
            try await ReplicationLive.waitFor("status.replicas 60") {
                try await client.get(ReplicationController.self, name: "web").status?.replicas == 60
            }
            #expect(try await Self.pods(client).count == 60)
            #expect(most <= 60)
            _ = try await client.scale(replicationController: "web", replicas: 0)
            try await ReplicationLive.waitFor("no pods and status.replicas 0") {
                let status = try await client.get(ReplicationController.self, name: "web").status
                return try await Self.pods(client).isEmpty && status?.replicas == 0
            }
        }
    }

    @Test func deletingAControllerDeletesItsPodsEvenWhenCreatedAgain() async throws {
        try await ReplicationLive.with(Self.manager) { client in
            _ = try await client.create(Self.rc(replicas: 3))
            try await ReplicationLive.waitFor("3 pods") { try await Self.pods(client).count == 3 }
            let first = Set(try await Self.pods(client).compactMap(\.metadata.name))
            // Deleted with replicas > 0, and at once created again under the same name.
            try await client.delete(ReplicationController.self, name: "web")
            let second = try await client.create(Self.rc(replicas: 2))
            try await ReplicationLive.waitFor("only the new controller's 2 pods") {
                let pods = try await Self.pods(client)
                return pods.count == 2 && pods.allSatisfy {
                    $0.metadata.ownerReferences?.first?.uid == second.metadata.uid && !first.contains($0.metadata.name!)
                }
            }
            try await client.delete(ReplicationController.self, name: "web")
            try await ReplicationLive.waitFor("no pods") { try await Self.pods(client).isEmpty }
        }
    }
}
