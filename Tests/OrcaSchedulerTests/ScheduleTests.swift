import OrcaAPI
import Testing
@testable import OrcaScheduler

@Suite struct ScheduleTests {
    @Test func onlyAFeasibleMinionIsChosen() {
        let snapshot = ClusterSnapshot(minions: [
            Fixtures.node("small", cpu: "1"), Fixtures.node("down", cpu: "16", ready: false),
            Fixtures.node("big", cpu: "8"),
        ])
        #expect(schedule(pod: Fixtures.pod("p", cpu: "2"), snapshot: snapshot) == .bind("big"))
    }

    @Test func theLeastRequestedMinionWins() {
        var snapshot = ClusterSnapshot(minions: [Fixtures.node("m1"), Fixtures.node("m2"), Fixtures.node("m3")])
        snapshot.update(pod: Fixtures.pod("a", cpu: "3", memory: "6Gi", nodeName: "m1"))
        snapshot.update(pod: Fixtures.pod("b", cpu: "2", memory: "4Gi", nodeName: "m3"))
        #expect(schedule(pod: Fixtures.pod("p", cpu: "1", memory: "1Gi"), snapshot: snapshot) == .bind("m2"))
    }

    @Test func threePodsOfOneControllerLandOnThreeMinions() {
        var snapshot = ClusterSnapshot(minions: [Fixtures.node("m1"), Fixtures.node("m2"), Fixtures.node("m3")])
        var placed: [String] = []
        for name in ["web-x1", "web-x2", "web-x3"] {
            let pod = Fixtures.pod(name, cpu: "100m", owner: "web")
            guard case .bind(let minion) = schedule(pod: pod, snapshot: snapshot) else {
                Issue.record("\(name) not scheduled")
                return
            }
            snapshot.assume(pod: pod, on: minion)
            placed.append(minion)
        }
        #expect(Set(placed) == ["m1", "m2", "m3"])
    }

    @Test func podsOfAServiceSpreadWithoutAnOwner() {
        var snapshot = ClusterSnapshot(minions: [Fixtures.node("m1"), Fixtures.node("m2"), Fixtures.node("m3")])
        snapshot.setSpreadSelector(["app": "web"], kind: "Service", namespace: "default", name: "web")
        var placed: [String] = []
        for index in 0..<3 {
            let pod = Fixtures.pod("web-\(index)", labels: ["app": "web"])
            guard case .bind(let minion) = schedule(pod: pod, snapshot: snapshot) else { return }
            snapshot.assume(pod: pod, on: minion)
            placed.append(minion)
        }
        #expect(Set(placed) == ["m1", "m2", "m3"])
    }

    @Test func equalMinionsSharePodsWithoutGroups() {
        var snapshot = ClusterSnapshot(minions: (1...10).map { Fixtures.node("m\($0)", cpu: nil, memory: nil) })
        var counts: [String: Int] = [:]
        for index in 0..<100 {
            guard case .bind(let minion) = schedule(pod: Fixtures.pod("p\(index)"), snapshot: snapshot) else { return }
            snapshot.assume(pod: Fixtures.pod("p\(index)"), on: minion)
            counts[minion, default: 0] += 1
        }
        // Every minion scores the same: the hashed start spreads the pods over most of them.
        #expect(counts.count >= 8)
        #expect(counts.values.max()! <= 25)
    }

    @Test func podsWithoutRequestsBalanceByCount() {
        var snapshot = ClusterSnapshot(minions: (1...4).map { Fixtures.node("m\($0)", cpu: "1", memory: "2Gi") })
        for index in 0..<40 {
            let pod = Fixtures.pod("p\(index)")
            guard case .bind(let minion) = schedule(pod: pod, snapshot: snapshot) else { return }
            snapshot.assume(pod: pod, on: minion)
        }
        let counts = snapshot.allMinions.map(\.podCount)
        #expect(counts.reduce(0, +) == 40)
        #expect(counts.max()! - counts.min()! <= 3)
    }

    @Test func theSameInputsGiveTheSameDecision() {
        let snapshot = ClusterSnapshot(minions: (1...50).map { Fixtures.node("m\($0)") })
        let pod = Fixtures.pod("p", cpu: "1")
        #expect(schedule(pod: pod, snapshot: snapshot) == schedule(pod: pod, snapshot: snapshot))
    }

    @Test func anAssumedHostPortBlocksTheNextPod() {
        var snapshot = ClusterSnapshot(minions: [Fixtures.node("m1")])
        let first = Fixtures.pod("a", hostPorts: [HostPort(port: 8080)])
        #expect(schedule(pod: first, snapshot: snapshot) == .bind("m1"))
        snapshot.assume(pod: first, on: "m1")
        #expect(schedule(pod: Fixtures.pod("b", hostPorts: [HostPort(port: 8080)]), snapshot: snapshot)
            == .unschedulable(reason: "0/1 minions available: 1 hostPort 8080 in use"))
    }
}
