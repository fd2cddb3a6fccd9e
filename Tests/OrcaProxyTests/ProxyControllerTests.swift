import OrcaAPI
import OrcaAPIServer
import OrcaClient
import OrcaTesting
import Synchronization
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
                _ = try await client.create(Namespace(metadata: ObjectMeta(name: "proxytest")))
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
                // The rule goes first, its listener's close completes just after: wait for the refusal.
                try await waitUntil("the service port to stop answering") {
                    (try? await TestClient.request(ip, 20300)) == nil
                }

                running.cancel()
                try? await running.value
                #expect(await controller.proxy.connectionCount == 0)
            }
        }
    }

    @Test func serviceAddressesFollowTheServicesAndAFailureIsRetried() async throws {
        let a = try await TestBackend.tcp("127.0.0.3", .name("a"))
        var apiConfiguration = LocalMaster.defaultConfiguration
        apiConfiguration.serviceCIDR = IPv4CIDR("127.81.0.0/24")!
        try await withBackends([a]) {
            try await LocalMaster.withMaster(configuration: apiConfiguration) { master in
                let client = master.client
                let addresses = RecordingAddresses(failures: 1)
                var configuration = ProxyController.Configuration()
                configuration.namespace = "proxyaddr"
                _ = try await client.create(Namespace(metadata: ObjectMeta(name: "proxyaddr")))
                configuration.coalesceDelay = .milliseconds(5)
                configuration.retryDelay = .milliseconds(20)
                let controller = ProxyController(client: client, configuration: configuration,
                                                 addresses: addresses, logger: quietLogger)
                let running = Task { try await controller.run() }
                defer { running.cancel() }

                let service = try await client.create(Service(
                    metadata: ObjectMeta(name: "db", namespace: "proxyaddr"),
                    spec: ServiceSpec(ports: [ServicePort(port: 20310)])), namespace: "proxyaddr")
                let ip = try #require(service.spec?.clusterIP)
                _ = try await client.create(Endpoints(
                    metadata: ObjectMeta(name: "db", namespace: "proxyaddr"),
                    subsets: [EndpointSubset(addresses: [EndpointAddress(ip: a.host)],
                                             ports: [EndpointPort(port: a.port)])]), namespace: "proxyaddr")

                // The first add fails; a retry makes the address local and the service answers.
                try await waitUntil("the service to answer after the failed add was retried") {
                    (try? await TestClient.request(ip, 20310)) == "a\n"
                }
                // Loopback addresses answer before they are "added"; wait for the retried add itself.
                try await waitUntil("the retried add made the address local") { addresses.local.contains(ip) }
                #expect(addresses.failed >= 1)

                try await client.delete(Service.self, name: "db", namespace: "proxyaddr")
                try await waitUntil("the address of the deleted service to be removed") {
                    !addresses.local.contains(ip)
                }
                #expect(await controller.proxy.rules.isEmpty)
            }
        }
    }
}

/// An address manager that remembers what is "local", failing its first `failures` adds.
final class RecordingAddresses: ServiceAddressManager {
    private struct State {
        var local = Set<String>()
        var failuresLeft: Int
        var failed = 0
    }

    private let state: Mutex<State>

    init(failures: Int) { state = Mutex(State(failuresLeft: failures)) }

    var local: Set<String> { state.withLock { $0.local } }
    var failed: Int { state.withLock { $0.failed } }

    func add(_ addresses: Set<String>) async throws {
        try state.withLock { state in
            if state.failuresLeft > 0 {
                state.failuresLeft -= 1
                state.failed += 1
                throw RecordingAddressesError.scripted
            }
            state.local.formUnion(addresses)
        }
    }

    func removeAll(except addresses: Set<String>) async throws {
        state.withLock { $0.local.formIntersection(addresses) }
    }

    enum RecordingAddressesError: Error { case scripted }
}
