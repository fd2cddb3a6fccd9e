#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension PodNetwork {
    /// Routes this minion adds are tagged with this protocol number, so the ones it no longer
    /// wants can be told from everyone else's.
    static let routeProtocol = "77"

    /// Makes the minion's namespace route between its bridge and the other minions
    /// (`net.ipv4.ip_forward=1`; br_netfilter sends bridged traffic through FORWARD).
    ///
    /// It also makes the bridge with its gateway address (the pod CIDR's first address) before
    /// any pod exists, so the minion's own services (the DNS server) can listen on it at once;
    /// the CNI bridge plugin then finds both in place.
    public func prepareHost() async throws {
        try await inHost("/usr/sbin/sysctl", ["-q", "-w", "net.ipv4.ip_forward=1"]).run()
        guard let gateway = gateway, let prefix = configuration.podCIDR.split(separator: "/").last else { return }
        if try await !inHost("/usr/sbin/ip", ["link", "show", configuration.bridge]).output().status.succeeded {
            try await inHost("/usr/sbin/ip", ["link", "add", configuration.bridge, "type", "bridge"]).run()
        }
        let address = try await inHost("/usr/sbin/ip", ["addr", "add", "\(gateway)/\(prefix)", "dev", configuration.bridge])
            .output()
        // A restarted minion finds its address in place ("File exists" or "already assigned").
        guard address.status.succeeded || address.stderrText.contains("File exists")
            || address.stderrText.contains("already assigned") else {
            throw RuntimeError.command("ip addr add \(gateway)", address.status, output: address.stderrText)
        }
        try await inHost("/usr/sbin/ip", ["link", "set", configuration.bridge, "up"]).run()
    }

    /// The pod CIDR's first address: the bridge's, the pods' default gateway.
    public var gateway: String? {
        let parts = configuration.podCIDR.split(separator: "/")
        let octets = parts.first?.split(separator: ".").compactMap { UInt8($0) } ?? []
        guard octets.count == 4, octets[3] < 255 else { return nil }
        return "\(octets[0]).\(octets[1]).\(octets[2]).\(octets[3] + 1)"
    }

    /// A route to another minion's pods: its pod CIDR through its host IP (host-gw style).
    public struct PeerRoute: Sendable, Hashable {
        public var podCIDR: String
        public var hostIP: String

        public init(podCIDR: String, hostIP: String) {
            self.podCIDR = podCIDR
            self.hostIP = hostIP
        }
    }

    /// Makes this minion's routes to the other minions' pod CIDRs exactly `routes`: adds or
    /// replaces each, and removes the ones it added earlier for minions that are gone.
    public func syncRoutes(_ routes: Set<PeerRoute>) async throws {
        let current = try await peerRoutes()
        for route in routes where !current.contains(route) {
            try await inHost("/usr/sbin/ip", ["route", "replace", route.podCIDR, "via", route.hostIP,
                                              "proto", Self.routeProtocol]).run()
        }
        let wanted = Set(routes.map(\.podCIDR))
        for route in current where !wanted.contains(route.podCIDR) {
            try await inHost("/usr/sbin/ip", ["route", "del", route.podCIDR, "proto", Self.routeProtocol]).run()
        }
    }

    /// The routes this minion added (`ip -j route show proto 77`).
    public func peerRoutes() async throws -> Set<PeerRoute> {
        let data = try await inHost("/usr/sbin/ip", ["-j", "route", "show", "proto", Self.routeProtocol]).run()
        let entries = JSONValue.parse(data)?.array ?? []
        return Set(entries.compactMap { entry in
            guard let destination = entry["dst"]?.string, let gateway = entry["gateway"]?.string else { return nil }
            return PeerRoute(podCIDR: destination, hostIP: gateway)
        })
    }
}
