import Foundation
import OrcaAPI
@testable import OrcaAPIServer
import Testing

/// The seed's JSON files, posted unchanged to the v1beta1 API, served back in both versions.
@Suite struct V1Beta1ServingTests {
    static func fixture(_ name: String) throws -> Data {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        return try Data(contentsOf: root.appendingPathComponent("OrcaAPITests/Fixtures/\(name).json"))
    }

    @Test func seedManifestsCreateThroughV1Beta1() async throws {
        try await TestServer.make().run { api in
            let pod = try await api.send(.post, "/api/v1beta1/pods", body: try Self.fixture("pod"))
            #expect(pod.code == 201, "\(pod.text)")
            #expect(pod.json["id"] as? String == "jenkins")
            #expect((pod.json["currentState"] as? [String: Any])?["status"] as? String == "Pending")

            let v1 = try await api.send(.get, "/api/v1/namespaces/default/pods/jenkins").decode(Pod.self)
            #expect(v1.spec?.containers.first?.image == "csanchez/jenkins-swarm:1.565.3.3")
            #expect(v1.spec?.containers.first?.ports?.map(\.hostPort) == [8080, 50000])
            #expect(v1.spec?.volumes?.first?.emptyDir != nil)

            for name in ["service-http", "service-slave"] {
                let svc = try await api.send(.post, "/api/v1beta1/services", body: try Self.fixture(name))
                #expect(svc.code == 201, "\(svc.text)")
                let ip = try #require(svc.json["portalIP"] as? String)
                #expect(ip.hasPrefix("10.0."))
            }
            let rc = try await api.send(.post, "/api/v1beta1/replicationControllers", body: try Self.fixture("replication"))
            #expect(rc.code == 201, "\(rc.text)")
            let v1rc = try await api.send(.get, "/api/v1/namespaces/default/replicationcontrollers/jenkins-slave")
                .decode(ReplicationController.self)
            #expect(v1rc.spec?.selector == ["name": "jenkins-slave"])

            let list = try await api.send(.get, "/api/v1beta1/services")
            let ids = (list.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }.sorted()
            #expect(ids == ["jenkins", "jenkins-slave", "kubernetes", "kubernetes-ro"])
            #expect(list.json["resourceVersion"] is NSNumber)

            let selected = try await api.send(.get, "/api/v1beta1/pods?labels=name%3Djenkins")
            #expect((selected.json["items"] as? [Any])?.count == 1)
            let none = try await api.send(.get, "/api/v1beta1/pods?labels=name%3Dnothing")
            #expect((none.json["items"] as? [Any])?.count == 0)

            let missing = try await api.send(.get, "/api/v1beta1/pods/nope")
            #expect(missing.code == 404)
            #expect(missing.json["apiVersion"] as? String == "v1beta1")
            #expect(missing.json["reason"] as? String == "NotFound")

            let deleted = try await api.send(.delete, "/api/v1beta1/pods/jenkins")
            #expect(deleted.code == 200)
            #expect(deleted.json["status"] as? String == "Success")
        }
    }

    @Test func invalidV1Beta1ObjectIs422WithCauses() async throws {
        try await TestServer.make().run { api in
            let body = #"{"id":"x","kind":"Pod","apiVersion":"v1beta1","desiredState":{"manifest":{"version":"v1beta1","containers":[{"name":"c"}]}}}"#
            let reply = try await api.send(.post, "/api/v1beta1/pods", body: Data(body.utf8))
            #expect(reply.code == 422)
            let causes = ((reply.json["details"] as? [String: Any])?["causes"] as? [[String: Any]]) ?? []
            #expect(!causes.isEmpty)
        }
    }

    @Test func v1beta1WatchReplaysFromAResourceVersion() async throws {
        try await TestServer.make().run(.live) { api in
            let first = try await api.send(.post, "/api/v1beta1/pods", body: try Self.fixture("pod"))
            let rv = try #require(first.json["resourceVersion"] as? NSNumber)
            _ = try await api.send(.delete, "/api/v1beta1/pods/jenkins")
            // History replays at once; the server ends the stream at timeoutSeconds.
            let watch = try await api.send(.get, "/api/v1beta1/watch/pods?resourceVersion=\(rv)&timeoutSeconds=3")
            let lines = watch.text.split(separator: "\n")
            #expect(lines.count == 1)
            #expect(lines.first?.contains("\"DELETED\"") == true)
            #expect(lines.first?.contains("\"id\":\"jenkins\"") == true)
        }
    }
}
