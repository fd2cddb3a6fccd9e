import Foundation
import OrcaRuntime

/// The host side of a local cluster: the bridge, one namespace per minion with a veth into
/// the bridge, unreachable routes for the cluster's ranges. Every step is idempotent, and
/// ``tearDown()`` removes exactly what these names say, so a crashed `orca up` is cleaned
/// up by the next `orca down` or `orca up`.
struct HostNetwork: Sendable {
    let layout: LocalClusterLayout

    func setUp() async throws {
        if try await !exists(link: layout.bridge) {
            try await ip("link", "add", layout.bridge, "type", "bridge")
        }
        try await ipAllowingExisting("addr", "add", "\(layout.hostIP)/\(layout.prefixLength)", "dev", layout.bridge)
        try await ip("link", "set", layout.bridge, "up")
        for range in [layout.podRange, layout.serviceRange] {
            try await ip("route", "replace", "unreachable", range)
        }
        for minion in layout.allMinions {
            if !FileManager.default.fileExists(atPath: "/var/run/netns/\(minion.namespace)") {
                try await ip("netns", "add", minion.namespace)
            }
            if try await !exists(link: minion.hostLink) {
                try await ip("link", "add", minion.hostLink, "type", "veth", "peer", "name", "eth0", "netns", minion.namespace)
            }
            try await ip("link", "set", minion.hostLink, "master", layout.bridge)
            try await ip("link", "set", minion.hostLink, "up")
            try await ipAllowingExisting("-n", minion.namespace, "addr", "add", "\(minion.ip)/\(layout.prefixLength)",
                                         "dev", "eth0")
            try await ip("-n", minion.namespace, "link", "set", "eth0", "up")
            try await ip("-n", minion.namespace, "link", "set", "lo", "up")
        }
    }

    /// The host reaches each minion's pods through it (more specific than the unreachable range).
    func routePodCIDR(_ cidr: String, via minionIP: String) async throws {
        try await ip("route", "replace", cidr, "via", minionIP)
    }

    /// Removes the namespaces (with everything in them), links, routes and the bridge.
    func tearDown() async {
        for minion in layout.allMinions {
            _ = try? await Command("/usr/sbin/ip", ["netns", "delete", minion.namespace]).output()
            _ = try? await Command("/usr/sbin/ip", ["link", "delete", minion.hostLink]).output()
        }
        // Routes through the bridge (to the minions' pod CIDRs) go with it.
        _ = try? await Command("/usr/sbin/ip", ["link", "delete", layout.bridge]).output()
        for range in [layout.podRange, layout.serviceRange] {
            _ = try? await Command("/usr/sbin/ip", ["route", "delete", "unreachable", range]).output()
        }
    }

    func exists(link: String) async throws -> Bool {
        try await Command("/usr/sbin/ip", ["link", "show", link]).output().status.succeeded
    }

    private func ip(_ arguments: String...) async throws {
        try await Command("/usr/sbin/ip", arguments).run()
    }

    /// `ip addr add` that accepts "File exists" (the address is already there).
    private func ipAllowingExisting(_ arguments: String...) async throws {
        let output = try await Command("/usr/sbin/ip", arguments).output()
        guard output.status.succeeded || output.stderrText.contains("File exists") else {
            throw RuntimeError.command("ip " + arguments.joined(separator: " "), output.status, output: output.stderrText)
        }
    }
}
