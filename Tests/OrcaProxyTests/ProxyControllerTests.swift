import OrcaAPI
import OrcaAPIServer
import OrcaClient
import OrcaTesting
import Testing
@testable import OrcaProxy

/// The controller against a real API server in this process whose service CIDR is on loopback, so
/// the service IPs it allocates are local already.
@Suite(.timeLimit(.minutes(1))) struct ProxyControllerTests {
    @Test func servicesAndEndpointsFromTheMasterBecomeListeners() async throws {
        let a = try await TestBackend.tcp("127.0.0.3", .name("a"))
        let b = try await TestBackend.tcp("127.0.0.4", .name("b"))
        var apiConfiguration = LocalMaster.defaultConfiguration
        apiConfiguration.serviceCIDR = IPv4CIDR("127.80.0.0/24")!
        try await withBackends([a, b]) {
            try await LocalMaster.withMaster(configuration: apiConfiguration) { master in
                let client = master.client
                var configuration = ProxyController.Configuration()
                configuration.namespace = "proxytest"
                configuration.coalesceDelay = .milliseconds(5)
                let controller = ProxyController(client: client, configuration: configuration,
                                                 addresses: LocalAddresses(), logger: quietLogger)
                let running = Task { try await controller.run() }
                defer { running.cancel() }

                let service = try await client.create(Service(
                    metadata: ObjectMeta(name: "web", namespace: "proxytest"),
                    spec: ServiceSpec(ports: [ServicePort(port: 20300)])), namespace: "proxytest")
                let ip = try #require(service.spec?.clusterIP)
                #expect(ip.hasPrefix("127.80.0."))
                let endpoints = Endpoints(metadata: ObjectMeta(name: "web", namespace: "proxytest"), subsets: [
                    EndpointSubset(addresses: [EndpointAddress(ip: a.host)], ports: [EndpointPort(port: a.port)]),
                    EndpointSubset(addresses: [EndpointAddress(ip: b.host)], ports: [EndpointPort(port: b.port)]),
                ])
                var stored = try await client.create(endpoints, namespace: "proxytest")

                // Both endpoints answer through the service IP.
                var seen = Set<String>()
                try await waitUntil("answers from both endpoints through \(ip):20300") {
                    if let answer = try? await TestClient.request(ip, 20300) { seen.insert(answer) }
                    return seen == ["a\n", "b\n"]
                }

                // Endpoints down to b: every request lands on b once the change is applied.
                stored.subsets = [EndpointSubset(addresses: [EndpointAddress(ip: b.host)],
                                                 ports: [EndpointPort(port: b.port)])]
                _ = try await client.update(stored)
                try await waitUntil("the proxy to drop endpoint a") {
                    await controller.proxy.rules.values.first?.endpoints.count == 1
                }
                var answers: [String] = []
                for _ in 0..<4 { answers.append(try await TestClient.request(ip, 20300)) }
                #expect(answers == Array(repeating: "b\n", count: 4))

                // The service goes: its port stops answering.
                try await client.delete(Service.self, name: "web", namespace: "proxytest")
                try await waitUntil("the listener to close") { await controller.proxy.rules.isEmpty }
                await #expect(throws: (any Error).self) { _ = try await TestClient.request(ip, 20300) }

                running.cancel()
                try? await running.value
                #expect(await controller.proxy.connectionCount == 0)
            }
        }
    }
}
