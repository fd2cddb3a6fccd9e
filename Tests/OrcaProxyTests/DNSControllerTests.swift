import Logging
import NIOCore
import OrcaAPI
import OrcaClient
import OrcaProxy
import OrcaTesting
import Testing

@Suite("DNS controller")
struct DNSControllerTests {
    @Test func keepsTheRecordsInStepWithTheMastersServices() async throws {
        try await LocalMaster.withMaster { master in
            let port = try LocalMaster.freePort()
            let controller = DNSController(
                client: master.client,
                configuration: .init(server: .init(host: "127.0.0.1", port: port, upstreams: [])),
                logger: DNSTest.logger)
            let address = try SocketAddress(ipAddress: "127.0.0.1", port: port)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await controller.run() }
                defer { group.cancelAll() }

                let created = try await master.client.create(DNSTest.service("jenkins", ip: nil))
                let ip = try #require(created.spec?.clusterIP)
                try await Self.eventually("jenkins resolves to \(ip)") {
                    let reply = try await DNSTest.ask("jenkins.default.svc.cluster.local", .a, at: address,
                                                      timeout: .seconds(1))
                    return DNSTest.addresses(reply) == [ip]
                }
                #expect(DNSTest.addresses(try await DNSTest.ask("jenkins", .a, at: address)) == [ip])

                // A burst of services lands, then a deletion.
                for index in 0..<20 {
                    _ = try await master.client.create(DNSTest.service("burst-\(index)", namespace: "default", ip: nil))
                }
                try await Self.eventually("all 20 burst services resolve") {
                    controller.server.records.answer(DNSQuestion(name: DNSName("burst-19.default.svc.cluster.local"),
                                                                 type: .a)) != .nameError(authority: [
                        controller.server.records.soaRecord,
                    ])
                }
                try await master.client.delete(Service.self, name: "jenkins")
                try await Self.eventually("jenkins is gone") {
                    try await DNSTest.ask("jenkins.default.svc.cluster.local", .a, at: address)?.responseCode
                        == .nameError
                }
                for index in 0..<20 {
                    let name = "burst-\(index).default.svc.cluster.local"
                    #expect(!DNSTest.addresses(try await DNSTest.ask(name, .a, at: address)).isEmpty, "\(name)")
                }
            }
        }
    }

    @Test func rendersAPodsResolvConf() {
        #expect(DNSController.resolvConf(namespace: "prod", nameserver: "10.245.2.1") == """
            search prod.svc.cluster.local svc.cluster.local cluster.local
            nameserver 10.245.2.1
            options ndots:5

            """)
    }

    /// Polls `condition` until it holds; fails naming `what` after a generous deadline.
    static func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while try await !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out waiting until \(what)")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
