import Foundation
import OrcaRuntime
import OrcaTesting
import Testing

/// Real CNI sandboxes inside a minion namespace the test makes (and removes, with every
/// bridge, veth and iptables rule in it): nothing touches the host's own network.
@Suite("pod network sandboxes", .serialized,
       .enabled(if: NetworkFixture.available, "network tests need \(NetworkFixture.missing.joined(separator: ", "))"))
struct PodNetworkTests {
    @Test("two sandboxes get IPs from the pod CIDR and reach each other; teardown leaves nothing")
    func sandboxesTalk() async throws {
        try await NetworkFixture.with(podCIDR: "10.244.77.0/24") { fixture in
            let a = try await fixture.network.setUp(id: "a-\(fixture.tag)")
            let b = try await fixture.network.setUp(id: "b-\(fixture.tag)")
            #expect(a.ip.hasPrefix("10.244.77."))
            #expect(b.ip.hasPrefix("10.244.77."))
            #expect(a.ip != b.ip)
            #expect(FileManager.default.fileExists(atPath: a.path))
            #expect(try await fixture.network.setUp(id: "a-\(fixture.tag)") == a, "setUp is idempotent")

            let ping = try await Command("/usr/sbin/ip", ["netns", "exec", a.namespace, "/bin/busybox", "ping", "-c", "1",
                                                          "-W", "2", b.ip]).output(timeout: .seconds(10))
            #expect(ping.status.succeeded, "\(ping)")
            let loopback = try await Command("/usr/sbin/ip", ["netns", "exec", a.namespace, "/usr/sbin/ip", "-j", "addr",
                                                              "show", "lo"]).run()
            #expect(String(decoding: loopback, as: UTF8.self).contains("127.0.0.1"), "loopback is up")

            await fixture.network.tearDown(id: "a-\(fixture.tag)")
            #expect(!FileManager.default.fileExists(atPath: a.path))
            #expect(fixture.network.sandbox("a-\(fixture.tag)") == nil)
            // The IP went back to host-local: the next sandbox may take it; no veth is left for a.
            let links = try await fixture.inMinion("/usr/sbin/ip", ["-j", "link", "show", "type", "veth"])
            let names = ((try? JSONSerialization.jsonObject(with: links)) as? [[String: Any]] ?? [])
                .compactMap { $0["ifname"] as? String }.filter { !$0.hasPrefix("om-") }
            #expect(names.count == 1, "only b's veth is left: \(names)")
            await fixture.network.tearDown(id: "b-\(fixture.tag)")
            await fixture.network.tearDown(id: "b-\(fixture.tag)")  // idempotent
            let ipam = try FileManager.default.contentsOfDirectory(atPath: fixture.directory.path + "/ipam/orca")
            #expect(ipam.filter { $0.hasPrefix("10.") }.isEmpty, "no IP stays allocated: \(ipam)")
        }
    }

    @Test("a host port on the minion's IP reaches the pod")
    func hostPort() async throws {
        try await NetworkFixture.with(podCIDR: "10.244.78.0/24") { fixture in
            let sandbox = try await fixture.network.setUp(
                id: "web-\(fixture.tag)", portMappings: [.init(hostPort: 8080, containerPort: 80)])
            let site = fixture.directory.appendingPathComponent("site")
            try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
            try "hello from the pod\n".write(to: site.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
            let server = try Reaper.shared.spawn("/usr/sbin/ip", arguments: [
                "netns", "exec", sandbox.namespace, "/bin/busybox", "httpd", "-f", "-p", "80", "-h", site.path,
            ])
            defer {
                kill(server, SIGKILL)
                Reaper.shared.release(server)
            }
            // busybox-static's wget crashes on Debian 12; nc speaks HTTP/1.0 well enough.
            var response = ""
            for _ in 0..<50 where !response.contains("200 OK") {
                let fetch = try await fixture.fetch(host: fixture.minionIP, port: 8080)
                response = fetch
                if !response.contains("200 OK") { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(response.hasSuffix("\r\n\r\nhello from the pod\n"), "\(response)")
            await fixture.network.tearDown(id: "web-\(fixture.tag)")
            let rules = try await fixture.inMinion("/usr/sbin/iptables-save", ["-t", "nat"])
            #expect(!String(decoding: rules, as: UTF8.self).contains("dport 8080"), "the host port's rules are gone")
        }
    }

    @Test("routes to other minions' pod CIDRs follow the minion list")
    func peerRoutes() async throws {
        try await NetworkFixture.with(podCIDR: "10.244.79.0/24") { fixture in
            let two = PodNetwork.PeerRoute(podCIDR: "10.244.80.0/24", hostIP: "10.245.99.3")
            let three = PodNetwork.PeerRoute(podCIDR: "10.244.81.0/24", hostIP: "10.245.99.3")
            try await fixture.network.syncRoutes([two, three])
            #expect(try await fixture.network.peerRoutes() == [two, three])
            try await fixture.network.syncRoutes([three])
            #expect(try await fixture.network.peerRoutes() == [three])
            try await fixture.network.syncRoutes([])
            #expect(try await fixture.network.peerRoutes().isEmpty)
        }
    }
}
