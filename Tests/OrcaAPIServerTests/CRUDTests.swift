import Foundation
import OrcaAPI
@testable import OrcaAPIServer
import Testing

@Suite struct CRUDTests {
    @Test func createGetListUpdateDeletePod() async throws {
        try await TestServer.make().run { api in
            let created = try await api.send(.post, "/api/v1/namespaces/default/pods", json: Samples.pod("web"))
            #expect(created.code == 201)
            let pod = try created.decode(Pod.self)
            #expect(pod.metadata.uid?.isEmpty == false)
            #expect(pod.metadata.namespace == "default")
            #expect(pod.status?.phase == .pending)
            #expect(pod.spec?.restartPolicy == .always, "defaults are applied")
            let rv = try #require(pod.metadata.resourceVersion)

            let got = try await api.send(.get, "/api/v1/namespaces/default/pods/web")
            #expect(got.code == 200)
            #expect(try got.decode(Pod.self) == pod)

            let list = try await api.send(.get, "/api/v1/namespaces/default/pods")
            let items = try list.decode(ObjectList<Pod>.self)
            #expect(items.items.map(\.metadata.name) == ["web"])
            #expect(items.kind == "PodList")
            #expect(Int64(items.metadata.resourceVersion ?? "") ?? 0 >= Int64(rv)!)

            var changed = pod
            changed.spec?.containers[0].image = "busybox:1.36"
            let updated = try await api.send(.put, "/api/v1/namespaces/default/pods/web", object: changed)
            #expect(updated.code == 200)
            let newPod = try updated.decode(Pod.self)
            #expect(newPod.spec?.containers[0].image == "busybox:1.36")
            #expect(Int64(newPod.metadata.resourceVersion!)! > Int64(rv)!)

            // The first version is now stale.
            let stale = try await api.send(.put, "/api/v1/namespaces/default/pods/web", object: changed)
            #expect(stale.code == 409)
            #expect(stale.status?.reason == "Conflict")

            let deleted = try await api.send(.delete, "/api/v1/namespaces/default/pods/web")
            #expect(deleted.code == 200)
            let gone = try await api.send(.get, "/api/v1/namespaces/default/pods/web")
            #expect(gone.code == 404)
            #expect(gone.status?.reason == "NotFound")
            #expect(gone.status?.message == "pods \"web\" not found")
        }
    }

    @Test func concurrentUnconditionalUpdatesAllLand() async throws {
        try await TestServer.make().run { api in
            _ = try await api.send(.post, "/api/v1/namespaces/default/pods", json: Samples.pod("u"))
            // No resourceVersion in the bodies: each update applies to whatever is stored, none is a 409.
            let codes = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<20 {
                    group.addTask {
                        try await api.send(.put, "/api/v1/namespaces/default/pods/u",
                                           json: Samples.pod("u", labels: ["n": "\(i)"])).code
                    }
                }
                var codes: [Int] = []
                for try await code in group { codes.append(code) }
                return codes
            }
            #expect(codes == Array(repeating: 200, count: 20))
        }
    }

    @Test func duplicateNameIsAlreadyExists() async throws {
        try await TestServer.make().run { api in
            #expect(try await api.send(.post, "/api/v1/namespaces/default/pods", json: Samples.pod("a")).code == 201)
            let again = try await api.send(.post, "/api/v1/namespaces/default/pods", json: Samples.pod("a"))
            #expect(again.code == 409)
            #expect(again.status?.reason == "AlreadyExists")
        }
    }

    @Test func generateNameMakesAUniqueName() async throws {
        try await TestServer.make().run { api in
            var pod = Samples.pod("")
            pod["metadata"] = ["generateName": "jenkins-slave-"]
            let a = try await api.send(.post, "/api/v1/namespaces/default/pods", json: pod)
            let b = try await api.send(.post, "/api/v1/namespaces/default/pods", json: pod)
            let names = [try a.decode(Pod.self).metadata.name, try b.decode(Pod.self).metadata.name]
            #expect(names.allSatisfy { $0?.hasPrefix("jenkins-slave-") == true && $0?.count == 19 })
            #expect(names[0] != names[1])
        }
    }

    @Test func statusIsOnlyWrittenThroughTheSubresource() async throws {
        try await TestServer.make().run { api in
            let created = try await api.send(.post, "/api/v1/namespaces/default/pods", json: Samples.pod("s"))
            var pod = try created.decode(Pod.self)

            // A user sending a status through the main resource changes nothing of it.
            pod.status = PodStatus(phase: .running)
            pod.metadata.labels = ["name": "changed"]
            let viaMain = try await api.send(.put, "/api/v1/namespaces/default/pods/s", object: pod)
            let afterMain = try viaMain.decode(Pod.self)
            #expect(afterMain.status?.phase == .pending)
            #expect(afterMain.metadata.labels == ["name": "changed"])

            // A status write changes only status.
            var statusWrite = afterMain
            statusWrite.status = PodStatus(phase: .running)
            statusWrite.status?.podIP = "10.244.1.5"
            statusWrite.metadata.labels = ["name": "ignored"]
            let viaStatus = try await api.send(.put, "/api/v1/namespaces/default/pods/s/status", object: statusWrite)
            #expect(viaStatus.code == 200)
            let afterStatus = try viaStatus.decode(Pod.self)
            #expect(afterStatus.status?.phase == .running)
            #expect(afterStatus.status?.podIP == "10.244.1.5")
            #expect(afterStatus.metadata.labels == ["name": "changed"])
        }
    }

    @Test func bindingAssignsAPodOnce() async throws {
        try await TestServer.make().run { api in
            _ = try await api.send(.post, "/api/v1/namespaces/default/pods", json: Samples.pod("b"))
            let binding: [String: Any] = [
                "apiVersion": "v1", "kind": "Binding", "metadata": ["name": "b"],
                "target": ["kind": "Node", "name": "minion-1"],
            ]
            let first = try await api.send(.post, "/api/v1/namespaces/default/pods/b/binding", json: binding)
            #expect(first.code == 201)
            let pod = try await api.send(.get, "/api/v1/namespaces/default/pods/b").decode(Pod.self)
            #expect(pod.spec?.nodeName == "minion-1")
            #expect(pod.status?.conditions?.first { $0.type == "PodScheduled" }?.status == "True")

            let second = try await api.send(.post, "/api/v1/namespaces/default/pods/b/binding", json: binding)
            #expect(second.code == 409)
            #expect(second.status?.message?.contains("already assigned") == true)

            var other = binding
            other["metadata"] = ["name": "nope"]
            let missing = try await api.send(.post, "/api/v1/namespaces/default/pods/nope/binding", json: other)
            #expect(missing.code == 404)
        }
    }

    @Test func scaleSubresourceReadsAndWritesReplicas() async throws {
        try await TestServer.make().run { api in
            #expect(try await api.send(.post, "/api/v1/namespaces/default/replicationcontrollers",
                                       json: Samples.rc("web", replicas: 3)).code == 201)
            let scale = try await api.send(.get, "/api/v1/namespaces/default/replicationcontrollers/web/scale")
            #expect(try scale.decode(Scale.self).spec?.replicas == 3)
            #expect(try scale.decode(Scale.self).status?.selector == "name=web")

            let put = try await api.send(.put, "/api/v1/namespaces/default/replicationcontrollers/web/scale",
                                         json: ["metadata": ["name": "web"], "spec": ["replicas": 5]])
            #expect(put.code == 200)
            let patch = try await api.send(.patch, "/api/v1/namespaces/default/replicationcontrollers/web/scale",
                                           body: Data(#"{"spec":{"replicas":0}}"#.utf8),
                                           contentType: "application/merge-patch+json")
            #expect(patch.code == 200)
            let rc = try await api.send(.get, "/api/v1/namespaces/default/replicationcontrollers/web")
            #expect(try rc.decode(ReplicationController.self).spec?.replicas == 0)

            let negative = try await api.send(.put, "/api/v1/namespaces/default/replicationcontrollers/web/scale",
                                              json: ["spec": ["replicas": -1]])
            #expect(negative.code == 422)
            #expect(negative.causes == ["spec.replicas"])
        }
    }

    @Test func mergePatchChangesOnlyWhatItNames() async throws {
        try await TestServer.make().run { api in
            _ = try await api.send(.post, "/api/v1/namespaces/default/pods", json: Samples.pod("p"))
            let patched = try await api.send(.patch, "/api/v1/namespaces/default/pods/p",
                                             body: Data(#"{"metadata":{"labels":{"tier":"web"}}}"#.utf8),
                                             contentType: "application/merge-patch+json")
            #expect(patched.code == 200)
            let pod = try patched.decode(Pod.self)
            #expect(pod.metadata.labels == ["name": "jenkins", "tier": "web"])
            #expect(pod.spec?.containers.first?.image == "busybox")
        }
    }

    @Test func selectorsFilterLists() async throws {
        try await TestServer.make().run { api in
            for (name, app) in [("a", "web"), ("b", "web"), ("c", "db")] {
                _ = try await api.send(.post, "/api/v1/namespaces/default/pods", json: Samples.pod(name, labels: ["app": app]))
            }
            // Content goes only into a namespace that exists.
            #expect(try await api.send(.post, "/api/v1/namespaces/other/pods", json: Samples.pod("d")).code == 404)
            _ = try await api.send(.post, "/api/v1/namespaces", json: ["metadata": ["name": "other"]])
            _ = try await api.send(.post, "/api/v1/namespaces/other/pods", json: Samples.pod("d", labels: ["app": "web"]))
            func names(_ uri: String) async throws -> [String] {
                try await api.send(.get, uri).decode(ObjectList<Pod>.self).items.compactMap(\.metadata.name).sorted()
            }
            #expect(try await names("/api/v1/namespaces/default/pods?labelSelector=app%3Dweb") == ["a", "b"])
            #expect(try await names("/api/v1/namespaces/default/pods?labelSelector=app%20in%20(db)") == ["c"])
            #expect(try await names("/api/v1/namespaces/default/pods?labelSelector=app!%3Dweb") == ["c"])
            #expect(try await names("/api/v1/pods?labelSelector=app%3Dweb") == ["a", "b", "d"])
            #expect(try await names("/api/v1/pods?fieldSelector=metadata.name%3Dd") == ["d"])
            #expect(try await names("/api/v1/pods?fieldSelector=status.phase%3DPending") == ["a", "b", "c", "d"])
            #expect(try await names("/api/v1/pods?fieldSelector=spec.nodeName%3D") == ["a", "b", "c", "d"])
            #expect(try await names("/api/v1/pods?fieldSelector=spec.nodeName%3Dm1") == [])
            let bad = try await api.send(.get, "/api/v1/pods?labelSelector=app%20in%20(")
            #expect(bad.code == 400)
            let badField = try await api.send(.get, "/api/v1/pods?fieldSelector=spec.image%3Dx")
            #expect(badField.code == 400)
        }
    }

    @Test func pagingWithLimitAndContinueReturnsEveryItemOnce() async throws {
        try await TestServer.make().run { api in
            for i in 0..<23 {
                _ = try await api.send(.post, "/api/v1/namespaces/default/pods", json: Samples.pod("p\(i)"))
            }
            var seen: [String] = []
            var token: String?
            var pages = 0
            repeat {
                var uri = "/api/v1/namespaces/default/pods?limit=5"
                if let token { uri += "&continue=\(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
                let page = try await api.send(.get, uri).decode(ObjectList<Pod>.self)
                #expect(page.items.count <= 5)
                seen += page.items.compactMap(\.metadata.name)
                token = page.metadata.continue
                pages += 1
            } while token != nil && pages < 10
            #expect(pages == 5)
            #expect(seen.count == 23)
            #expect(Set(seen).count == 23)
            let bad = try await api.send(.get, "/api/v1/namespaces/default/pods?limit=5&continue=garbage")
            #expect(bad.code == 400)
        }
    }

    @Test func nodesAreClusterScopedAndKeepStatusOnCreate() async throws {
        try await TestServer.make().run { api in
            let node: [String: Any] = [
                "apiVersion": "v1", "kind": "Node", "metadata": ["name": "10.245.2.2"],
                "status": ["capacity": ["cpu": "2", "memory": "4Gi"],
                           "addresses": [["type": "InternalIP", "address": "10.245.2.2"]]],
            ]
            let created = try await api.send(.post, "/api/v1/nodes", json: node)
            #expect(created.code == 201)
            #expect(try created.decode(Node.self).status?.capacity?["cpu"] == Quantity("2"))
            let list = try await api.send(.get, "/api/v1/nodes").decode(ObjectList<Node>.self)
            #expect(list.items.map(\.metadata.name) == ["10.245.2.2"])
            #expect(try await api.send(.get, "/api/v1/namespaces/default/nodes").code == 404)
            let minions = try await api.send(.get, "/api/v1beta1/minions")
            #expect(minions.code == 200)
            #expect(minions.text.contains("10.245.2.2"))
        }
    }

    @Test func discoveryAndHealth() async throws {
        try await TestServer.make().run { api in
            #expect(try await api.send(.get, "/healthz").text == "ok")
            #expect(try await api.send(.get, "/version").json["gitVersion"] as? String == "v1.32.0+orca.\(OrcaVersion.string)")
            let resources = try await api.send(.get, "/api/v1").json["resources"] as? [[String: Any]] ?? []
            #expect(Set(resources.compactMap { $0["name"] as? String }) ==
                    ["pods", "replicationcontrollers", "services", "endpoints", "nodes", "events", "namespaces",
                     "pods/status", "pods/binding", "pods/log", "replicationcontrollers/status",
                     "replicationcontrollers/scale", "services/status", "nodes/status", "namespaces/status"])
        }
    }
}
