import OrcaAPI
import Testing
@testable import OrcaScheduler

@Suite struct UnschedulableReasonTests {
    @Test func twoMinionsWithTheHostPortTaken() {
        var snapshot = ClusterSnapshot(minions: [Fixtures.node("m1"), Fixtures.node("m2")])
        snapshot.update(pod: Fixtures.pod("a", hostPorts: [HostPort(port: 8080)], nodeName: "m1"))
        snapshot.update(pod: Fixtures.pod("b", hostPorts: [HostPort(port: 8080)], nodeName: "m2"))
        let decision = schedule(pod: Fixtures.pod("c", hostPorts: [HostPort(port: 8080)]), snapshot: snapshot)
        #expect(decision == .unschedulable(reason: "0/2 minions available: 2 hostPort 8080 in use"))
    }

    @Test func reasonsAreCountedPerMinionInPredicateOrder() {
        let snapshot = ClusterSnapshot(minions: [
            Fixtures.node("m1", cpu: "1"),
            Fixtures.node("m2", ready: false),
            Fixtures.node("m3", cpu: "1"),
            Fixtures.node("m4", unschedulable: true),
            Fixtures.node("m5", cpu: "8", memory: "1Gi"),
        ])
        let decision = schedule(pod: Fixtures.pod("p", cpu: "2", memory: "2Gi"), snapshot: snapshot)
        #expect(decision == .unschedulable(reason:
            "0/5 minions available: 1 not ready, 1 marked unschedulable, 2 insufficient cpu, 1 insufficient memory"))
    }

    @Test func aMinionCountsOnceUnderItsFirstFailure() {
        // Not ready and too small: only "not ready" is counted.
        let snapshot = ClusterSnapshot(minions: [Fixtures.node("m1", cpu: "1", ready: false)])
        #expect(schedule(pod: Fixtures.pod("p", cpu: "2"), snapshot: snapshot)
            == .unschedulable(reason: "0/1 minions available: 1 not ready"))
    }

    @Test func nodeSelectorAndPortsWithProtocols() {
        var snapshot = ClusterSnapshot(minions: [
            Fixtures.node("m1", labels: ["disk": "ssd"]), Fixtures.node("m2", labels: ["disk": "ssd"]),
            Fixtures.node("m3"),
        ])
        snapshot.update(pod: Fixtures.pod("a", hostPorts: [HostPort(port: 53, protocol: .udp)], nodeName: "m1"))
        snapshot.update(pod: Fixtures.pod("b", hostPorts: [HostPort(port: 9000)], nodeName: "m2"))
        let pod = Fixtures.pod(
            "c", hostPorts: [HostPort(port: 9000), HostPort(port: 53, protocol: .udp)], nodeSelector: ["disk": "ssd"])
        #expect(schedule(pod: pod, snapshot: snapshot) == .unschedulable(reason:
            "0/3 minions available: 1 not matching nodeSelector, 1 hostPort 53/UDP in use, 1 hostPort 9000 in use"))
    }

    @Test func noMinionsAtAll() {
        #expect(schedule(pod: Fixtures.pod("p"), snapshot: ClusterSnapshot())
            == .unschedulable(reason: "0/0 minions available: no minions registered"))
    }

    @Test func reasonTextCountsTheMinionsThatFit() {
        #expect(ClusterSnapshot.reasonText(total: 3, failures: [.notReady: 1])
            == "2/3 minions available: 1 not ready")
    }
}
