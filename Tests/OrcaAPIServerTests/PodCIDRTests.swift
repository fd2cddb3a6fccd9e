import Foundation
import OrcaAPI
@testable import OrcaAPIServer
import OrcaStore
import Testing

@Suite struct PodCIDRTests {
    static func node(_ name: String, podCIDR: String? = nil) -> [String: Any] {
        var node: [String: Any] = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": name]]
        if let podCIDR { node["spec"] = ["podCIDR": podCIDR] }
        return node
    }

    @Test func minionsGetDistinctSubnetsThatAreFreedOnDelete() async throws {
        let store = InMemoryStore()
        try await TestServer.make(store: store).run { api in
            let a = try await api.send(.post, "/api/v1/nodes", json: Self.node("a")).decode(Node.self)
            let b = try await api.send(.post, "/api/v1/nodes", json: Self.node("b")).decode(Node.self)
            #expect(a.spec?.podCIDR == "10.244.0.0/24")
            #expect(b.spec?.podCIDR == "10.244.1.0/24")

            let own = try await api.send(.post, "/api/v1/nodes", json: Self.node("c", podCIDR: "10.244.7.0/24"))
            #expect(try own.decode(Node.self).spec?.podCIDR == "10.244.7.0/24")
            let clash = try await api.send(.post, "/api/v1/nodes", json: Self.node("d", podCIDR: "10.244.1.0/24"))
            #expect(clash.code == 422)
            #expect(clash.causes == ["spec.podCIDR"])

            // An update without a pod CIDR keeps the assigned one.
            var update = Self.node("a")
            update["metadata"] = ["name": "a", "labels": ["zone": "x"]]
            let updated = try await api.send(.put, "/api/v1/nodes/a", json: update)
            #expect(updated.code == 200)
            #expect(try updated.decode(Node.self).spec?.podCIDR == "10.244.0.0/24")

            #expect(try await api.send(.delete, "/api/v1/nodes/a").code == 200)
            let e = try await api.send(.post, "/api/v1/nodes", json: Self.node("e")).decode(Node.self)
            #expect(e.spec?.podCIDR == "10.244.0.0/24")
        }
        // A restarted master knows which subnets are taken.
        try await TestServer.make(store: store).run { api in
            let f = try await api.send(.post, "/api/v1/nodes", json: Self.node("f")).decode(Node.self)
            #expect(f.spec?.podCIDR == "10.244.2.0/24")
        }
    }
}
