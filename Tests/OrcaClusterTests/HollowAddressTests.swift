@testable import OrcaTesting
import Testing

/// The made-up addresses of hollow minions: host IPs, pod IPs, fallback pod CIDRs.
@Suite struct HollowAddressTests {
    @Test func podAddressesSkipTheNetworkGatewayAndBroadcastAndComeBack() throws {
        var pool = try #require(HollowAddressPool(cidr: "10.244.3.0/29"))
        let addresses = (0..<5).compactMap { pool.address(for: "p\($0)") }
        #expect(addresses == ["10.244.3.2", "10.244.3.3", "10.244.3.4", "10.244.3.5", "10.244.3.6"])
        #expect(pool.address(for: "p5") == nil, "a /29 holds five pods")
        #expect(pool.address(for: "p2") == "10.244.3.4", "a pod keeps its address")
        pool.release("p2")
        #expect(pool.address(for: "p5") == "10.244.3.4")
        #expect(pool.assignedCount == 5)
    }

    @Test func adoptedAddressesAreNotHandedOutAgain() throws {
        var pool = try #require(HollowAddressPool(cidr: "10.244.3.0/24"))
        pool.adopt("10.244.3.2", for: "old")
        pool.adopt("10.9.9.9", for: "elsewhere")
        #expect(pool.address(for: "new") == "10.244.3.3")
        #expect(pool.address(for: "old") == "10.244.3.2")
        #expect(pool.assignedCount == 2)
        #expect(pool.contains("10.244.3.255") == false)
        #expect(pool.contains("10.244.3.254"))
    }

    @Test func badCIDRsMakeNoPool() {
        #expect(HollowAddressPool(cidr: "10.244.3.0") == nil)
        #expect(HollowAddressPool(cidr: "10.244.3.0/31") == nil)
        #expect(HollowAddressPool(cidr: "nonsense/24") == nil)
    }

    @Test func hostIPsSkipAddressesEndingInZeroOr255() {
        #expect(HollowAddress.host(0, after: "10.245.128.1") == "10.245.128.1")
        #expect(HollowAddress.host(253, after: "10.245.128.1") == "10.245.128.254")
        #expect(HollowAddress.host(254, after: "10.245.128.1") == "10.245.129.1")
        #expect(HollowAddress.host(0, after: "10.245.128.0") == "10.245.128.1")
    }

    @Test func fallbackPodCIDRsAreUniqueForAThousandMinions() {
        let hosts = (0..<2_000).compactMap { HollowAddress.host($0, after: "10.245.128.1") }
        let cidrs = Set(hosts.map { HollowAddress.fallbackPodCIDR(hostIP: $0) })
        #expect(cidrs.count == 2_000)
        #expect(cidrs.allSatisfy { !$0.hasPrefix("10.244.") && !$0.hasPrefix("10.245.") })
    }

    @Test func minionConfigurationsFollowTheirIndex() {
        var configuration = HollowMinions.Configuration(count: 300)
        configuration.namePrefix = "node-"
        let minion = configuration.minion(260)
        #expect(minion.name == "node-260")
        #expect(minion.hostIP == "10.245.129.7")
    }
}
