import Foundation
import OrcaAPI
@testable import OrcaAPIServer
import Testing

@Suite struct BadInputTests {
    @Test func malformedJSONAndYAMLAre400() async throws {
        try await TestServer.make().run { api in
            let json = try await api.send(.post, "/api/v1/namespaces/default/pods", body: Data(#"{"kind": "Pod", "#.utf8))
            #expect(json.code == 400)
            #expect(json.status?.kind == "Status")
            #expect(json.status?.reason == "BadRequest")
            let yaml = try await api.send(.post, "/api/v1/namespaces/default/pods",
                                          body: Data("kind: Pod\nmetadata: [\n".utf8), contentType: "application/yaml")
            #expect(yaml.code == 400)
            let list = try await api.send(.post, "/api/v1/namespaces/default/pods", body: Data("[1,2]".utf8))
            #expect(list.code == 400)
            let wrongType = try await api.send(.post, "/api/v1/namespaces/default/pods",
                                               json: ["metadata": ["name": 5], "spec": ["containers": []]])
            #expect(wrongType.code == 400)
            #expect(wrongType.status?.message?.contains("metadata.name") == true)
        }
    }

    @Test func yamlBodiesAreAccepted() async throws {
        try await TestServer.make().run { api in
            let yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: from-yaml
            spec:
              containers:
              - name: c
                image: busybox
            """
            let reply = try await api.send(.post, "/api/v1/namespaces/default/pods", body: Data(yaml.utf8),
                                           contentType: "application/yaml")
            #expect(reply.code == 201)
            #expect(try reply.decode(Pod.self).metadata.name == "from-yaml")
        }
    }

    @Test func unknownKindOrVersionIs400() async throws {
        try await TestServer.make().run { api in
            var wrongKind = Samples.pod("x")
            wrongKind["kind"] = "Service"
            #expect(try await api.send(.post, "/api/v1/namespaces/default/pods", json: wrongKind).code == 400)
            var wrongVersion = Samples.pod("x")
            wrongVersion["apiVersion"] = "v7"
            let reply = try await api.send(.post, "/api/v1/namespaces/default/pods", json: wrongVersion)
            #expect(reply.code == 400)
            #expect(reply.status?.message?.contains("v7") == true)
        }
    }

    @Test func invalidFieldsAre422WithEveryPath() async throws {
        try await TestServer.make().run { api in
            let pod: [String: Any] = [
                "metadata": ["name": "Bad_Name"],
                "spec": ["containers": [
                    ["name": "c", "ports": [["containerPort": 70000, "protocol": "SCTP"]]],
                    ["name": "c", "image": "busybox", "volumeMounts": [["name": "missing", "mountPath": "/x"]]],
                ]],
            ]
            let reply = try await api.send(.post, "/api/v1/namespaces/default/pods", json: pod)
            #expect(reply.code == 422)
            #expect(reply.status?.reason == "Invalid")
            let causes = Set(reply.causes)
            for field in ["metadata.name", "spec.containers[0].image", "spec.containers[0].ports[0].containerPort",
                          "spec.containers[0].ports[0].protocol", "spec.containers[1].name",
                          "spec.containers[1].volumeMounts[0].name"] {
                #expect(causes.contains(field), "missing cause \(field) in \(causes)")
            }
            // Nothing was stored.
            #expect(try await api.send(.get, "/api/v1/namespaces/default/pods").decode(ObjectList<Pod>.self).items.isEmpty)
        }
    }

    @Test func bodyOver3MiBIs413() async throws {
        try await TestServer.make().run { api in
            var pod = Samples.pod("big")
            pod["metadata"] = ["name": "big", "annotations": ["blob": String(repeating: "x", count: 3 * 1024 * 1024 + 10)]]
            let reply = try await api.send(.post, "/api/v1/namespaces/default/pods", json: pod)
            #expect(reply.code == 413)
            #expect(reply.status?.kind == "Status")
        }
    }

    @Test func unknownPathsAre404Status() async throws {
        try await TestServer.make().run { api in
            for path in ["/", "/apis/apps/v1/deployments", "/api/v1/namespaces/default/widgets", "/api/v9/pods",
                         "/api/v1/namespaces/default/pods/a/nonsense"] {
                let reply = try await api.send(.get, path)
                #expect(reply.code == 404, "\(path)")
                #expect(reply.status?.kind == "Status", "\(path)")
            }
        }
    }

    @Test func mismatchedNamesAndNamespacesAre400() async throws {
        try await TestServer.make().run { api in
            _ = try await api.send(.post, "/api/v1/namespaces/default/pods", json: Samples.pod("a"))
            #expect(try await api.send(.put, "/api/v1/namespaces/default/pods/a", json: Samples.pod("b")).code == 400)
            var other = Samples.pod("c")
            other["metadata"] = ["name": "c", "namespace": "other"]
            #expect(try await api.send(.post, "/api/v1/namespaces/default/pods", json: other).code == 400)
            #expect(try await api.send(.put, "/api/v1/namespaces/default/pods/zzz", json: Samples.pod("zzz")).code == 404)
            #expect(try await api.send(.delete, "/api/v1/namespaces/default/pods/zzz").code == 404)
            #expect(try await api.send(.get, "/api/v1/pods?limit=-1").code == 400)
            #expect(try await api.send(.get, "/api/v1/pods?resourceVersion=abc").code == 400)
        }
    }
}
