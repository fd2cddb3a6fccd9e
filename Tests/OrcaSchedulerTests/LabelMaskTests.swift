import OrcaAPI
import Testing
@testable import OrcaScheduler

@Suite struct LabelMaskTests {
    @Test func selectorsMatchThroughNumberedLabels() {
        let snapshot = ClusterSnapshot(minions: [
            Fixtures.node("m1", labels: ["disk": "ssd", "zone": "a"]), Fixtures.node("m2", labels: ["disk": "hdd"]),
        ])
        #expect(schedule(pod: Fixtures.pod("p", nodeSelector: ["disk": "ssd", "zone": "a"]), snapshot: snapshot)
            == .bind("m1"))
        #expect(schedule(pod: Fixtures.pod("q", nodeSelector: ["disk": "hdd"]), snapshot: snapshot) == .bind("m2"))
    }

    @Test func aLabelNoMinionHasMatchesNothing() {
        let snapshot = ClusterSnapshot(minions: [Fixtures.node("m1", labels: ["disk": "ssd"])])
        #expect(schedule(pod: Fixtures.pod("p", nodeSelector: ["gpu": "yes"]), snapshot: snapshot)
            == .unschedulable(reason: "0/1 minions available: 1 not matching nodeSelector"))
    }

    @Test func labelsBeyondTheNumberedOnesAreCompared() {
        // Every minion has its own label: the last ones get no number.
        let count = LabelMask.capacity + 5
        let snapshot = ClusterSnapshot(minions: (0..<count).map { Fixtures.node("m\($0)", labels: ["id": "\($0)"]) })
        #expect(snapshot.labelBits.count == LabelMask.capacity)
        for id in [0, LabelMask.capacity - 1, LabelMask.capacity, count - 1] {
            #expect(schedule(pod: Fixtures.pod("p\(id)", nodeSelector: ["id": "\(id)"]), snapshot: snapshot)
                == .bind("m\(id)"))
        }
        #expect(schedule(pod: Fixtures.pod("none", nodeSelector: ["id": "x"]), snapshot: snapshot)
            == .unschedulable(reason: "0/\(count) minions available: \(count) not matching nodeSelector"))
    }

    @Test func relabelledMinionsAreMatchedByTheirNewLabels() {
        var snapshot = ClusterSnapshot(minions: [Fixtures.node("m1", labels: ["disk": "hdd"]), Fixtures.node("m2")])
        snapshot.update(minion: Fixtures.node("m2", labels: ["disk": "ssd"]))
        #expect(schedule(pod: Fixtures.pod("p", nodeSelector: ["disk": "ssd"]), snapshot: snapshot) == .bind("m2"))
        snapshot.update(minion: Fixtures.node("m2"))
        #expect(schedule(pod: Fixtures.pod("p", nodeSelector: ["disk": "ssd"]), snapshot: snapshot)
            == .unschedulable(reason: "0/2 minions available: 2 not matching nodeSelector"))
    }
}
