import OrcaAPI
import Testing
@testable import OrcaScheduler

@Suite struct ClusterSnapshotTests {
    @Test func boundPodsAreCountedOnTheirMinion() {
        var snapshot = ClusterSnapshot(minions: [Fixtures.node("m1")])
        snapshot.update(pod: Fixtures.pod(
            "a", cpu: "1", memory: "1Gi", hostPorts: [HostPort(port: 80)], nodeName: "m1"))
        snapshot.update(pod: Fixtures.pod("b", cpu: "500m", nodeName: "m1"))
        let m1 = snapshot.minion(named: "m1")!
        #expect(m1.requestedMilliCPU == 1500)
        #expect(m1.requestedMemory == 1 << 30)
        #expect(m1.podCount == 2)
        #expect(m1.usedHostPorts == [HostPort(port: 80): 1])
        #expect(snapshot.checkConsistency() == [])
    }

    @Test func unboundAndTerminatedPodsDoNotCount() {
        var snapshot = ClusterSnapshot(minions: [Fixtures.node("m1")])
        snapshot.update(pod: Fixtures.pod("pending", cpu: "1"))
        snapshot.update(pod: Fixtures.pod("done", cpu: "1", nodeName: "m1", phase: .succeeded))
        snapshot.update(pod: Fixtures.pod("failed", cpu: "1", nodeName: "m1", phase: .failed))
        #expect(snapshot.minion(named: "m1")?.podCount == 0)
        #expect(snapshot.podCount == 0)
    }

    @Test func aPodThatTerminatesFreesItsMinion() {
        var snapshot = ClusterSnapshot(minions: [Fixtures.node("m1")])
        let freedByRunning = snapshot.update(pod: Fixtures.pod("a", cpu: "1", nodeName: "m1", phase: .running))
        #expect(!freedByRunning)
        let freedBySucceeding = snapshot.update(pod: Fixtures.pod("a", cpu: "1", nodeName: "m1", phase: .succeeded))
        #expect(freedBySucceeding)
        #expect(snapshot.minion(named: "m1")?.requestedMilliCPU == 0)
    }

    @Test func statusChangesOfACountedPodChangeNothing() {
        var snapshot = ClusterSnapshot(minions: [Fixtures.node("m1")])
        snapshot.update(pod: Fixtures.pod("a", cpu: "1", nodeName: "m1", phase: .pending))
        let freed = snapshot.update(pod: Fixtures.pod("a", cpu: "1", nodeName: "m1", phase: .running))
        #expect(!freed)
        #expect(snapshot.minion(named: "m1")?.podCount == 1)
    }

    @Test func deletingACountedPodFreesItsMinion() {
        var snapshot = ClusterSnapshot(minions: [Fixtures.node("m1")])
        snapshot.update(pod: Fixtures.pod("a", cpu: "1", hostPorts: [HostPort(port: 80)], nodeName: "m1"))
        let removed = snapshot.remove(podWithKey: "default/a")
        #expect(removed)
        let removedTwice = snapshot.remove(podWithKey: "default/a")
        #expect(!removedTwice)
        #expect(snapshot.minion(named: "m1")?.usedHostPorts.isEmpty == true)
        #expect(snapshot.minion(named: "m1")?.requestedMilliCPU == 0)
    }

    @Test func podsBoundToAnUnknownMinionCountOnceItAppears() {
        var snapshot = ClusterSnapshot()
        snapshot.update(pod: Fixtures.pod("a", cpu: "1", nodeName: "m1"))
        #expect(snapshot.minion(named: "m1") == nil)
        snapshot.update(minion: Fixtures.node("m1"))
        #expect(snapshot.minion(named: "m1")?.requestedMilliCPU == 1000)
        #expect(snapshot.checkConsistency() == [])
    }

    @Test func aRemovedMinionKeepsItsPodsForWhenItReturns() {
        var snapshot = ClusterSnapshot(minions: [Fixtures.node("m1"), Fixtures.node("m2")])
        snapshot.update(pod: Fixtures.pod("a", cpu: "1", nodeName: "m1", owner: "rc"))
        let removed = snapshot.removeMinion(named: "m1")
        #expect(removed)
        #expect(snapshot.minionCount == 1)
        // A new minion takes the free slot and must start empty.
        snapshot.update(minion: Fixtures.node("m3"))
        #expect(snapshot.minion(named: "m3")?.podCount == 0)
        #expect(snapshot.spreadCounts(groupKeys: ["owner/uid-rc"]) == [:])
        snapshot.update(minion: Fixtures.node("m1"))
        #expect(snapshot.minion(named: "m1")?.podCount == 1)
        #expect(snapshot.spreadCounts(groupKeys: ["owner/uid-rc"]) == ["m1": 1])
        #expect(snapshot.checkConsistency() == [])
    }

    @Test func minionUpdatesReportOnlyChangesOfOffer() {
        var snapshot = ClusterSnapshot()
        let added = snapshot.update(minion: Fixtures.node("m1"))
        #expect(added)
        let unchanged = snapshot.update(minion: Fixtures.node("m1"))
        #expect(!unchanged)
        let notReady = snapshot.update(minion: Fixtures.node("m1", ready: false))
        #expect(notReady)
        let labelled = snapshot.update(minion: Fixtures.node("m1", ready: false, labels: ["a": "b"]))
        #expect(labelled)
        let grown = snapshot.update(minion: Fixtures.node("m1", cpu: "8", ready: false, labels: ["a": "b"]))
        #expect(grown)
    }

    @Test func anAssumedPodCountsUntilForgotten() {
        var snapshot = ClusterSnapshot(minions: [Fixtures.node("m1")])
        let pod = Fixtures.pod("a", cpu: "1")
        snapshot.assume(pod: pod, on: "m1")
        #expect(snapshot.isAssumed("default/a"))
        #expect(snapshot.minion(named: "m1")?.requestedMilliCPU == 1000)
        // An update of the still-unbound pod (its status changed) keeps the assumption.
        snapshot.update(pod: pod)
        #expect(snapshot.isAssumed("default/a"))
        let forgotten = snapshot.forget(assumedPodWithKey: "default/a")
        #expect(forgotten)
        #expect(snapshot.minion(named: "m1")?.requestedMilliCPU == 0)
        #expect(snapshot.checkConsistency() == [])
    }

    @Test func theInformersBindingConfirmsAnAssumption() {
        var snapshot = ClusterSnapshot(minions: [Fixtures.node("m1")])
        snapshot.assume(pod: Fixtures.pod("a", cpu: "1"), on: "m1")
        snapshot.update(pod: Fixtures.pod("a", cpu: "1", nodeName: "m1"))
        #expect(!snapshot.isAssumed("default/a"))
        // A late failure of the binding call must not undo what the API says.
        let forgotten = snapshot.forget(assumedPodWithKey: "default/a")
        #expect(!forgotten)
        #expect(snapshot.minion(named: "m1")?.requestedMilliCPU == 1000)
    }

    @Test func aBindingElsewhereReplacesTheAssumption() {
        var snapshot = ClusterSnapshot(minions: [Fixtures.node("m1"), Fixtures.node("m2")])
        snapshot.assume(pod: Fixtures.pod("a", cpu: "1"), on: "m1")
        snapshot.update(pod: Fixtures.pod("a", cpu: "1", nodeName: "m2"))
        #expect(snapshot.minion(named: "m1")?.requestedMilliCPU == 0)
        #expect(snapshot.minion(named: "m2")?.requestedMilliCPU == 1000)
        #expect(snapshot.checkConsistency() == [])
    }

    @Test func ownedPodsSpreadByTheirController() {
        var snapshot = ClusterSnapshot(minions: [Fixtures.node("m1"), Fixtures.node("m2")])
        snapshot.update(pod: Fixtures.pod("a", nodeName: "m1", owner: "rc"))
        snapshot.update(pod: Fixtures.pod("b", nodeName: "m1", owner: "rc"))
        snapshot.update(pod: Fixtures.pod("c", nodeName: "m2", owner: "other"))
        #expect(snapshot.spreadGroupKeys(of: Fixtures.pod("d", owner: "rc")) == ["owner/uid-rc"])
        #expect(snapshot.spreadCounts(groupKeys: ["owner/uid-rc"]) == ["m1": 2])
    }

    @Test func unownedPodsSpreadBySelectorsThatSelectThem() {
        var snapshot = ClusterSnapshot(minions: [Fixtures.node("m1"), Fixtures.node("m2")])
        snapshot.update(pod: Fixtures.pod("a", nodeName: "m1", labels: ["app": "web", "tier": "fe"]))
        snapshot.update(pod: Fixtures.pod("b", nodeName: "m2", labels: ["app": "db"]))
        #expect(snapshot.spreadGroupKeys(of: Fixtures.pod("c", labels: ["app": "web"])) == [])
        snapshot.setSpreadSelector(["app": "web"], kind: "Service", namespace: "default", name: "web")
        snapshot.setSpreadSelector(["app": "web"], kind: "Service", namespace: "other", name: "web")
        #expect(snapshot.spreadGroupKeys(of: Fixtures.pod("c", labels: ["app": "web"])) == ["Service/default/web"])
        #expect(snapshot.spreadCounts(groupKeys: ["Service/default/web"]) == ["m1": 1])
        // A selector that changes moves pods between groups.
        snapshot.setSpreadSelector(["app": "db"], kind: "Service", namespace: "default", name: "web")
        #expect(snapshot.spreadCounts(groupKeys: ["Service/default/web"]) == ["m2": 1])
        snapshot.setSpreadSelector(nil, kind: "Service", namespace: "default", name: "web")
        #expect(snapshot.spreadCounts(groupKeys: ["Service/default/web"]) == [:])
        #expect(snapshot.checkConsistency() == [])
    }

    @Test func emptyGroupsAreDropped() {
        var snapshot = ClusterSnapshot(minions: [Fixtures.node("m1")])
        snapshot.update(pod: Fixtures.pod("a", nodeName: "m1", owner: "rc"))
        snapshot.remove(podWithKey: "default/a")
        #expect(snapshot.groupIDs.isEmpty)
        snapshot.update(pod: Fixtures.pod("b", nodeName: "m1", owner: "rc2"))
        #expect(snapshot.groups.count == 1)
    }
}
