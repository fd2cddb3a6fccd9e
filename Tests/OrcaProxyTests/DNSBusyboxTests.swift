import Foundation
import OrcaAPI
import OrcaProxy
import OrcaTesting
import Testing

/// The server against the client the end-to-end tests run inside pods: Debian 12's
/// busybox-static `nslookup`, which sends A and AAAA for the name as given (no search list).
@Suite("DNS with busybox nslookup")
struct DNSBusyboxTests {
    static let busybox = "/bin/busybox"

    /// Whether busybox is here; without it the suite skips, except under `CI=true`.
    static func available() -> Bool {
        if FileManager.default.isExecutableFile(atPath: busybox) { return true }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("\(busybox) is missing (apt-get install busybox-static)")
        }
        return false
    }

    static func nslookup(_ name: String, _ server: String, type: String? = nil) async throws -> CommandResult {
        let arguments = ["nslookup"] + (type.map { ["-type=\($0)"] } ?? []) + [name, server]
        return try await CommandResult.run(busybox, arguments, limit: .seconds(30))
    }

    @Test func resolvesServiceNamesAndShortForms() async throws {
        guard Self.available() else { return }
        let services = [DNSTest.service("jenkins", ip: "10.0.0.5", ports: [DNSTest.httpPort])]
        try await DNSTest.withServer(services: services) { _, address in
            let server = "127.0.0.1:\(address.port ?? 0)"
            for name in ["jenkins", "jenkins.default", "jenkins.default.svc.cluster.local"] {
                let result = try await Self.nslookup(name, server)
                #expect(result.status == 0, "\(name): \(result)")
                #expect(result.stdout.contains("Name:\t\(name)"), "\(name): \(result)")
                #expect(result.stdout.contains("Address: 10.0.0.5"), "\(name): \(result)")
                // The AAAA question gets NODATA: no error line for it.
                #expect(!result.stdout.contains("NXDOMAIN") && !result.stderr.contains("SERVFAIL"), "\(result)")
            }
            let srv = try await Self.nslookup("_http._tcp.jenkins.default.svc.cluster.local", server, type: "srv")
            #expect(srv.status == 0, "\(srv)")
            #expect(srv.stdout.contains("0 100 80 jenkins.default.svc.cluster.local"), "\(srv)")
        }
    }

    @Test func reportsUnknownClusterNames() async throws {
        guard Self.available() else { return }
        try await DNSTest.withServer(services: []) { _, address in
            let result = try await Self.nslookup("nope.default.svc.cluster.local", "127.0.0.1:\(address.port ?? 0)")
            #expect(result.status != 0, "\(result)")
            #expect((result.stdout + result.stderr).contains("NXDOMAIN"), "\(result)")
        }
    }
}
