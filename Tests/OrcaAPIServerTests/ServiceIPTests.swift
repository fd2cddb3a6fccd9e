import Foundation
import OrcaAPI
@testable import OrcaAPIServer
import OrcaStore
import Testing

@Suite struct ServiceIPTests {
    @Test func masterPublishesItselfAsServices() async throws {
        try await TestServer.make().run { api in
            let list = try await api.send(.get, "/api/v1/namespaces/default/services").decode(ObjectList<Service>.self)
            let byName = Dictionary(uniqueKeysWithValues: list.items.map { ($0.metadata.name ?? "", $0) })
            #expect(byName["kubernetes"]?.spec?.ports?.first?.port == 443)
            #expect(byName["kubernetes-ro"]?.spec?.ports?.first?.port == 80)
            #expect(byName["kubernetes"]?.spec?.selector == ["component": "apiserver", "provider": "kubernetes"])
        }
    }

    @Test func ipsAreUniqueInRangeHonouredAndFreed() async throws {
        try await TestServer.make(serviceCIDR: "10.0.0.0/29").run { api in
            // /29: 6 usable addresses, 2 taken by the master's services.
            let range = IPv4CIDR("10.0.0.0/29")!
            var ips: Set<String> = []
            for name in ["a", "b", "c"] {
                let reply = try await api.send(.post, "/api/v1/namespaces/default/services", json: Samples.service(name))
                #expect(reply.code == 201)
                let ip = try #require(try reply.decode(Service.self).spec?.clusterIP)
                #expect(range.contains(IPv4CIDR.parseAddress(ip)!))
                ips.insert(ip)
            }
            #expect(ips.count == 3)
            let taken = try await api.send(.post, "/api/v1/namespaces/default/services",
                                           json: Samples.service("d", clusterIP: ips.first!))
            #expect(taken.code == 422)
            #expect(taken.causes == ["spec.clusterIP"])
            let outside = try await api.send(.post, "/api/v1/namespaces/default/services",
                                             json: Samples.service("d", clusterIP: "192.168.1.1"))
            #expect(outside.code == 422)

            // The last free address, then the range is full.
            let last = try await api.send(.post, "/api/v1/namespaces/default/services", json: Samples.service("d"))
            #expect(last.code == 201)
            let full = try await api.send(.post, "/api/v1/namespaces/default/services", json: Samples.service("e"))
            #expect(full.code == 422)

            // Deleting a service frees its address for a user who asks for it.
            let freed = try await api.send(.get, "/api/v1/namespaces/default/services/a").decode(Service.self)
            #expect(try await api.send(.delete, "/api/v1/namespaces/default/services/a").code == 200)
            let reuse = try await api.send(.post, "/api/v1/namespaces/default/services",
                                           json: Samples.service("e", clusterIP: freed.spec!.clusterIP!))
            #expect(reuse.code == 201)
        }
    }

    @Test func ipIsStableAcrossUpdatesAndImmutable() async throws {
        try await TestServer.make().run { api in
            let created = try await api.send(.post, "/api/v1/namespaces/default/services", json: Samples.service("s"))
            let ip = try created.decode(Service.self).spec?.clusterIP
            // An update without clusterIP keeps the allocated one.
            let updated = try await api.send(.put, "/api/v1/namespaces/default/services/s", json: Samples.service("s", port: 81))
            #expect(updated.code == 200)
            #expect(try updated.decode(Service.self).spec?.clusterIP == ip)
            let moved = try await api.send(.put, "/api/v1/namespaces/default/services/s",
                                           json: Samples.service("s", clusterIP: "10.0.9.9"))
            #expect(moved.code == 422)
        }
    }

    @Test func allocationSurvivesARestartOnTheSameStore() async throws {
        let store = InMemoryStore()
        let first = try await TestServer.make(store: store, serviceCIDR: "10.0.0.0/29")
        let ips = try await first.run { api in
            var ips: [String] = []
            for name in ["a", "b", "c", "d"] {
                ips.append(try await api.send(.post, "/api/v1/namespaces/default/services",
                                              json: Samples.service(name)).decode(Service.self).spec!.clusterIP!)
            }
            return ips
        }
        #expect(Set(ips).count == 4)
        let second = try await TestServer.make(store: store, serviceCIDR: "10.0.0.0/29")
        try await second.run { api in
            // Master services were not created twice and every address is still taken.
            let list = try await api.send(.get, "/api/v1/namespaces/default/services").decode(ObjectList<Service>.self)
            #expect(list.items.count == 6)
            let full = try await api.send(.post, "/api/v1/namespaces/default/services", json: Samples.service("e"))
            #expect(full.code == 422)
        }
    }
}
