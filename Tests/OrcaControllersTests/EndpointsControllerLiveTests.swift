import OrcaAPI
import OrcaClient
import OrcaControllers
import Testing

/// The endpoints controller against a real API server over HTTP.
@Suite struct EndpointsControllerLiveTests {
    static func controller(_ client: OrcaClient) -> EndpointsController {
        EndpointsController(client: client, configuration: .init(), logger: ReplicationLive.logger)
    }

    static func pod(_ name: String, port: Int) -> Pod {
        Pod(metadata: ObjectMeta(name: name, labels: ["app": "web"]),
            spec: PodSpec(containers: [Container(name: "c", image: "busybox",
                                                 ports: [ContainerPort(name: "http", containerPort: port)])]))
    }

    static func addresses(_ client: OrcaClient, _ name: String = "web") async throws
        -> (ready: Set<String>, notReady: Set<String>) {
        let endpoints = try await client.get(Endpoints.self, name: name)
        let subsets = endpoints.subsets ?? []
        return (Set(subsets.flatMap { $0.addresses ?? [] }.map(\.ip)),
                Set(subsets.flatMap { $0.notReadyAddresses ?? [] }.map(\.ip)))
    }

    @Test func endpointsFollowPodsAndGoWithTheService() async throws {
        try await ReplicationLive.with(Self.controller) { client in
            _ = try await client.create(Service(
                metadata: ObjectMeta(name: "web"),
                spec: ServiceSpec(ports: [ServicePort(protocol: .tcp, port: 80, targetPort: .string("http"))],
                                  selector: ["app": "web"])))
            try await ReplicationLive.waitFor("empty endpoints") {
                try await client.get(Endpoints.self, name: "web").subsets?.isEmpty ?? true
            }
            _ = try await client.create(Self.pod("a", port: 8080))
            _ = try await client.create(Self.pod("b", port: 9090))
            try await ReplicationLive.setStatus("a", client: client, phase: .running, ip: "10.244.1.2", ready: true)
            try await ReplicationLive.setStatus("b", client: client, phase: .running, ip: "10.244.2.2", ready: false)
            try await ReplicationLive.waitFor("a ready, b not ready") {
                let (ready, notReady) = try await Self.addresses(client)
                return ready == ["10.244.1.2"] && notReady == ["10.244.2.2"]
            }
            let endpoints = try await client.get(Endpoints.self, name: "web")
            #expect(Set(endpoints.subsets?.compactMap { $0.ports?.first?.port } ?? []) == [8080, 9090])

            try await ReplicationLive.setStatus("b", client: client, phase: .running, ip: "10.244.2.2", ready: true)
            try await client.delete(Pod.self, name: "a")
            try await ReplicationLive.waitFor("only b, ready") {
                let (ready, notReady) = try await Self.addresses(client)
                return ready == ["10.244.2.2"] && notReady.isEmpty
            }

            // A hand edit is put back.
            var edited = try await client.get(Endpoints.self, name: "web")
            edited.subsets = []
            _ = try await client.update(edited)
            try await ReplicationLive.waitFor("the edit undone") {
                try await Self.addresses(client).ready == ["10.244.2.2"]
            }

            try await client.delete(Service.self, name: "web")
            try await ReplicationLive.waitFor("the endpoints gone") {
                do {
                    _ = try await client.get(Endpoints.self, name: "web")
                    return false
                } catch let error as APIError where error.reason == .notFound {
                    return true
                }
            }
        }
    }

    @Test func leavesTheEndpointsOfAServiceWithoutSelectorAlone() async throws {
        try await ReplicationLive.with(Self.controller) { client in
            _ = try await client.create(Service(metadata: ObjectMeta(name: "external"),
                                                spec: ServiceSpec(ports: [ServicePort(protocol: .tcp, port: 5432)])))
            let manual = Endpoints(metadata: ObjectMeta(name: "external"), subsets: [
                EndpointSubset(addresses: [EndpointAddress(ip: "192.168.1.50")], ports: [EndpointPort(port: 5432)]),
            ])
            _ = try await client.create(manual)
            // A selector service created afterwards gets its endpoints: the controller has caught up.
            _ = try await client.create(Service(
                metadata: ObjectMeta(name: "marker"),
                spec: ServiceSpec(ports: [ServicePort(protocol: .tcp, port: 80)], selector: ["app": "none"])))
            try await ReplicationLive.waitFor("the marker's endpoints") {
                (try? await client.get(Endpoints.self, name: "marker")) != nil
            }
            #expect(try await Self.addresses(client, "external").ready == ["192.168.1.50"])
        }
    }
}
