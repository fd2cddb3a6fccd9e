import Foundation
import OrcaAPI
@testable import OrcaAPIServer
import Testing

/// What kubectl asks before and around its calls: discovery, OpenAPI, Tables, namespaces.
@Suite struct KubectlServingTests {
    static let aggregated = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"
    static let table = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"

    @Test func discoveryListsResourcesWithShortNamesAndSubresources() async throws {
        try await TestServer.make().run { api in
            let list = try await api.send(.get, "/api/v1").json
            let resources = list["resources"] as? [[String: Any]] ?? []
            let pods = try #require(resources.first { $0["name"] as? String == "pods" })
            #expect(pods["shortNames"] as? [String] == ["po"])
            #expect(pods["categories"] as? [String] == ["all"])
            #expect(pods["namespaced"] as? Bool == true)
            #expect((pods["verbs"] as? [String])?.contains("deletecollection") == true)
            let scale = try #require(resources.first { $0["name"] as? String == "replicationcontrollers/scale" })
            #expect(scale["group"] as? String == "autoscaling")
            #expect(scale["kind"] as? String == "Scale")
            let nodes = try #require(resources.first { $0["name"] as? String == "nodes" })
            #expect(nodes["namespaced"] as? Bool == false)
            #expect(try await api.send(.get, "/api").json["versions"] as? [String] == ["v1"])
            #expect(try await api.send(.get, "/apis").json["kind"] as? String == "APIGroupList")
            #expect(try await api.send(.get, "/apis/nothing.example.com/v1").code == 404)
        }
    }

    @Test func aggregatedDiscoveryWhenAskedForIt() async throws {
        try await TestServer.make().run { api in
            let reply = try await api.send(.get, "/api", accept: Self.aggregated)
            #expect(reply.json["kind"] as? String == "APIGroupDiscoveryList")
            let items = reply.json["items"] as? [[String: Any]] ?? []
            let versions = items.first?["versions"] as? [[String: Any]] ?? []
            #expect(versions.map { $0["version"] as? String } == ["v1"])
            let resources = versions.first?["resources"] as? [[String: Any]] ?? []
            let pods = try #require(resources.first { $0["resource"] as? String == "pods" })
            #expect(pods["scope"] as? String == "Namespaced")
            #expect((pods["responseKind"] as? [String: Any])?["kind"] as? String == "Pod")
            let subresources = (pods["subresources"] as? [[String: Any]] ?? []).compactMap { $0["subresource"] as? String }
            #expect(Set(subresources) == ["binding", "log", "status"])
        }
    }

    @Test func openAPIV3HasTheKindsAndFieldValidation() async throws {
        try await TestServer.make().run { api in
            let index = try await api.send(.get, "/openapi/v3").json
            let paths = index["paths"] as? [String: Any] ?? [:]
            let core = try #require((paths["api/v1"] as? [String: Any])?["serverRelativeURL"] as? String)
            #expect(core.hasPrefix("/openapi/v3/api/v1?hash="))
            let document = try await api.send(.get, core).json
            let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
            let pod = try #require(schemas["io.k8s.api.core.v1.Pod"] as? [String: Any])
            let gvk = pod["x-kubernetes-group-version-kind"] as? [[String: Any]]
            #expect(gvk?.first?["kind"] as? String == "Pod")
            let podPaths = (document["paths"] as? [String: Any])?["/api/v1/namespaces/{namespace}/pods/{name}"] as? [String: Any]
            let patch = try #require(podPaths?["patch"] as? [String: Any])
            let names = (patch["parameters"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(names.contains("fieldValidation"))
            let v2 = try await api.send(.get, "/openapi/v2").json
            #expect(v2["swagger"] as? String == "2.0")
            #expect((v2["definitions"] as? [String: Any])?["io.k8s.api.core.v1.PodSpec"] != nil)
            // kubectl asks v2 in protobuf only: a 404 lets it go on with v3.
            #expect(try await api.send(.get, "/openapi/v2", accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf").code == 404)
        }
    }

    @Test func podsAsATableWithKubectlsColumns() async throws {
        try await TestServer.make().run { api in
            _ = try await api.send(.post, "/api/v1/namespaces/default/pods", json: Samples.pod("web"))
            let table = try await api.send(.get, "/api/v1/namespaces/default/pods", accept: Self.table).json
            #expect(table["kind"] as? String == "Table")
            let columns = (table["columnDefinitions"] as? [[String: Any]] ?? []).map {
                ($0["name"] as? String ?? "", $0["priority"] as? Int ?? -1)
            }
            #expect(columns.map(\.0) == ["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node",
                                         "Readiness Gates"])
            #expect(columns.filter { $0.1 == 1 }.count == 4)
            let rows = table["rows"] as? [[String: Any]] ?? []
            let cells = rows.first?["cells"] as? [Any] ?? []
            #expect(cells.prefix(4).compactMap { $0 as? String } == ["web", "0/1", "Pending", "0"])
            let object = rows.first?["object"] as? [String: Any]
            #expect(object?["kind"] as? String == "PartialObjectMetadata")
            // The plain list is unchanged for clients that do not ask for a Table.
            #expect(try await api.send(.get, "/api/v1/namespaces/default/pods").json["kind"] as? String == "PodList")
        }
    }

    @Test func deleteCollectionDeletesWhatTheSelectorsChoose() async throws {
        try await TestServer.make().run { api in
            for (name, app) in [("a", "web"), ("b", "web"), ("c", "db")] {
                _ = try await api.send(.post, "/api/v1/namespaces/default/pods", json: Samples.pod(name, labels: ["app": app]))
            }
            let reply = try await api.send(.delete, "/api/v1/namespaces/default/pods?labelSelector=app%3Dweb")
            #expect(reply.code == 200)
            #expect(reply.status?.status == "Success")
            let left = try await api.send(.get, "/api/v1/namespaces/default/pods").decode(ObjectList<Pod>.self)
            #expect(left.items.compactMap(\.metadata.name) == ["c"])
            // Every namespace at once, and the seed's API, have no collection delete.
            #expect(try await api.send(.delete, "/api/v1/pods").code == 405)
            #expect(try await api.send(.delete, "/api/v1beta1/pods").code == 405)
        }
    }

    @Test func agesAreWrittenAsKubectlWritesThem() {
        #expect(HumanDuration.format(5) == "5s")
        #expect(HumanDuration.format(119) == "119s")
        #expect(HumanDuration.format(200) == "3m20s")
        #expect(HumanDuration.format(600) == "10m")
        #expect(HumanDuration.format(3 * 3600 + 60) == "3h1m")
        #expect(HumanDuration.format(30 * 3600) == "30h")
        #expect(HumanDuration.format(3 * 86400 + 3600) == "3d1h")
        #expect(HumanDuration.format(400 * 86400) == "400d")
        #expect(HumanDuration.format(3 * 365 * 86400) == "3y")
        #expect(HumanDuration.format(-5) == "<invalid>")
    }

    @Test func namespacesExistAreRequiredAndAreFinalizedWhenDeleted() async throws {
        let test = try await TestServer.make()
        try await test.run { api in
            let names = (try await api.send(.get, "/api/v1/namespaces").json["items"] as? [[String: Any]] ?? [])
                .compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String }
            #expect(Set(names) == ["default", "kube-system", "kube-public", "kube-node-lease"])
            let missing = try await api.send(.post, "/api/v1/namespaces/team/pods", json: Samples.pod("a"))
            #expect(missing.code == 404)
            #expect(missing.status?.message == "namespaces \"team\" not found")
            #expect(try await api.send(.post, "/api/v1/namespaces", json: ["metadata": ["name": "team"]]).code == 201)
            #expect(try await api.send(.post, "/api/v1/namespaces/team/pods", json: Samples.pod("a")).code == 201)
            #expect(try await api.send(.post, "/api/v1/namespaces/team/services", json: Samples.service("s")).code == 201)
            #expect(try await api.send(.delete, "/api/v1/namespaces/default").code == 403)

            let deleted = try await api.send(.delete, "/api/v1/namespaces/team")
            #expect(deleted.code == 200)
            #expect((deleted.json["status"] as? [String: Any])?["phase"] as? String == "Terminating")
            let refused = try await api.send(.post, "/api/v1/namespaces/team/pods", json: Samples.pod("b"))
            #expect(refused.code == 403)
            #expect(refused.status?.message == "unable to create new content in namespace team because it is being terminated")

            let finalizer = test.server.namespaceFinalizer()
            let running = Task { try await finalizer.run() }
            defer { running.cancel() }
            let deadline = ContinuousClock.now + .seconds(10)
            while try await api.send(.get, "/api/v1/namespaces/team").code != 404 {
                #expect(ContinuousClock.now < deadline, "the namespace is not finalized within 10 s")
                if ContinuousClock.now >= deadline { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await test.store.list(prefix: "/registry/pods/team/").items.isEmpty)
            #expect(try await test.store.list(prefix: "/registry/services/team/").items.isEmpty)
        }
    }
}
