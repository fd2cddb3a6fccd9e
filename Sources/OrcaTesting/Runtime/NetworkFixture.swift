import Foundation
import OrcaRuntime

/// A throwaway minion for network tests: a "minion" namespace with the IP 10.245.99.2 on a
/// veth to a "client" namespace (10.245.99.3), and a ``PodNetwork`` whose plugins run in the
/// minion namespace. Removing the two namespaces removes every bridge, veth, route and
/// iptables rule the test made; the host's network is never touched.
public struct NetworkFixture: Sendable {
    public let tag: String
    public let minion: String
    public let client: String
    public let minionIP = "10.245.99.2"
    public let clientIP = "10.245.99.3"
    public let directory: URL
    public let network: PodNetwork

    public static var missing: [String] {
        var missing: [String] = []
        if getuid() != 0 { missing.append("root") }
        for tool in ["/usr/sbin/ip", "/usr/lib/cni/bridge", "/usr/lib/cni/portmap", "/bin/busybox", "/usr/sbin/iptables"]
        where !FileManager.default.isExecutableFile(atPath: tool) {
            missing.append(tool)
        }
        return missing
    }

    /// Under CI a missing prerequisite fails the tests instead of skipping them.
    public static var available: Bool { ProcessInfo.processInfo.environment["CI"] == "true" || missing.isEmpty }

    /// Makes the namespaces, runs `body`, and removes everything whether it passed or not.
    public static func with<R: Sendable>(podCIDR: String, _ body: (NetworkFixture) async throws -> R) async throws -> R {
        let tag = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let minion = "orca-test-minion-\(tag)"
        let client = "orca-test-client-\(tag)"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orca-net-\(tag)")
        defer { try? FileManager.default.removeItem(at: directory) }
        func ip(_ arguments: String...) async throws {
            try await Command("/usr/sbin/ip", arguments).run()
        }
        let network = try PodNetwork(.init(podCIDR: podCIDR, dataDirectory: directory.path, bridge: "cbr0",
                                           hostNamespace: minion))
        let fixture = NetworkFixture(tag: tag, minion: minion, client: client, directory: directory, network: network)
        do {
            try await ip("netns", "add", minion)
            try await ip("netns", "add", client)
            try await ip("link", "add", "om-\(tag)", "netns", minion, "type", "veth", "peer", "name", "oc-\(tag)",
                         "netns", client)
            try await ip("-n", minion, "addr", "add", "\(fixture.minionIP)/24", "dev", "om-\(tag)")
            try await ip("-n", client, "addr", "add", "\(fixture.clientIP)/24", "dev", "oc-\(tag)")
            for (namespace, link) in [(minion, "om-\(tag)"), (client, "oc-\(tag)")] {
                try await ip("-n", namespace, "link", "set", link, "up")
                try await ip("-n", namespace, "link", "set", "lo", "up")
            }
            try await network.prepareHost()
            let result = try await body(fixture)
            await fixture.remove()
            return result
        } catch {
            await fixture.remove()
            throw error
        }
    }

    /// Runs a command in the minion namespace; returns stdout.
    public func inMinion(_ path: String, _ arguments: [String]) async throws -> Data {
        try await Command("/usr/sbin/ip", ["netns", "exec", minion, path] + arguments).run()
    }

    /// `GET /` from the client namespace over HTTP/1.0 with busybox nc; the raw response, or ""
    /// when nothing answered.
    public func fetch(host: String, port: Int, path: String = "/") async throws -> String {
        let output = try await Command("/usr/sbin/ip", [
            "netns", "exec", client, "/bin/busybox", "nc", "-w", "2", host, String(port),
        ]).output(stdin: Data("GET \(path) HTTP/1.0\r\n\r\n".utf8), timeout: .seconds(10))
        return output.status.succeeded ? output.stdoutText : ""
    }

    private func remove() async {
        for id in network.sandboxIDs() { await network.tearDown(id: id) }
        for namespace in [minion, client] {
            _ = try? await Command("/usr/sbin/ip", ["netns", "delete", namespace]).output()
        }
    }
}
