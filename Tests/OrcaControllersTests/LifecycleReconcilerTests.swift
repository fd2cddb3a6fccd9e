import OrcaAPI
import OrcaControllers
import Testing
import OrcaTesting

/// The lifecycle decisions, with time passed as numbers (the controller's clock).
@Suite struct LifecycleReconcilerTests {
    typealias F = LifecycleFixtures
    let pods = [F.pod("a"), F.pod("b", phase: .pending), F.pod("done", phase: .succeeded),
                F.pod("failed", phase: .failed), F.pod("elsewhere", node: "minion-2")]

    @Test func aHeartbeatingMinionStaysAlive() {
        var reconciler = MinionLifecycleReconciler()
        for second in stride(from: 0, through: 120, by: 5) {
            let actions = reconciler.reconcile(F.node(heartbeat: second), pods: pods, at: .seconds(second))
            #expect(actions.isEmpty, "at \(second) s")
            #expect(reconciler.liveness(of: "minion-1", at: .seconds(second)) == .alive)
        }
    }

    @Test func silentPastTheGraceItIsMarkedNotReadyAndItsLivePodsFail() {
        var reconciler = MinionLifecycleReconciler(minionGrace: .seconds(15), podEvictionTimeout: .seconds(10))
        let node = F.node(heartbeat: 0)
        let step1 = reconciler.reconcile(node, pods: pods, at: .zero)
        #expect(step1.isEmpty)
        let step2 = reconciler.reconcile(node, pods: pods, at: .seconds(15))
        #expect(step2.isEmpty, "exactly the grace is alive")
        let actions = reconciler.reconcile(node, pods: pods, at: .s(15.5))
        #expect(actions.marks == ["minion-1"])
        // Ended pods stay as they are; pods of other minions are not this minion's business.
        #expect(Set(actions.fails) == ["a", "b"])
        #expect(actions.deletes.isEmpty)
        #expect(reconciler.liveness(of: "minion-1", at: .s(15.5)) == .lost)
    }

    @Test func aMinionAlreadyMarkedIsNotMarkedAgain() {
        var reconciler = MinionLifecycleReconciler()
        let marked = MinionLifecycleReconciler.markedNotReady(F.node(heartbeat: 0), at: F.time(100))
        _ = reconciler.reconcile(F.node(heartbeat: 0), pods: [], at: .zero)
        // The controller's own write keeps the heartbeat, so it does not count as one.
        let step3 = reconciler.observe(marked, at: .seconds(10))
        #expect(!step3)
        let actions = reconciler.reconcile(marked, pods: [F.pod("a")], at: .seconds(16))
        #expect(actions.marks.isEmpty)
        #expect(actions.fails == ["a"])
    }

    @Test func pastTheEvictionTimeoutEveryPodIsDeleted() {
        var reconciler = MinionLifecycleReconciler(minionGrace: .seconds(15), podEvictionTimeout: .seconds(10))
        let node = F.node(heartbeat: 0)
        _ = reconciler.reconcile(node, pods: pods, at: .zero)
        let lost = reconciler.reconcile(node, pods: pods, at: .seconds(25))
        #expect(lost.deletes.isEmpty, "lost for exactly the eviction timeout: not yet")
        let evicting = reconciler.reconcile(node, pods: pods, at: .s(25.5))
        #expect(Set(evicting.deletes) == ["a", "b", "done", "failed"])
        #expect(evicting.fails.isEmpty, "pods about to go are not failed first")
        #expect(evicting.marks == ["minion-1"])
        #expect(reconciler.liveness(of: "minion-1", at: .seconds(26)) == .evicting)
    }

    @Test func aMinionThatHeartbeatsAgainIsAliveAgain() {
        var reconciler = MinionLifecycleReconciler()
        _ = reconciler.reconcile(F.node(heartbeat: 0), pods: pods, at: .zero)
        let step4 = reconciler.reconcile(F.node(heartbeat: 0), pods: pods, at: .seconds(20))
        #expect(!step4.isEmpty)
        // It comes back (and writes Ready=True itself): alive at once, for a full grace period.
        let step5 = reconciler.observe(F.node(heartbeat: 20), at: .seconds(20))
        #expect(step5)
        let step6 = reconciler.reconcile(F.node(heartbeat: 20), pods: pods, at: .seconds(20))
        #expect(step6.isEmpty)
        let step7 = reconciler.reconcile(F.node(heartbeat: 20), pods: pods, at: .seconds(35))
        #expect(step7.isEmpty)
        #expect(reconciler.silence(of: "minion-1", at: .seconds(35)) == .seconds(15))
        let step8 = reconciler.reconcile(F.node(heartbeat: 20), pods: pods, at: .seconds(36))
        #expect(!step8.isEmpty)
    }

    @Test func aHeartbeatCountsWhenItChangesNotByItsWallClockTime() {
        var reconciler = MinionLifecycleReconciler()
        // An hour-old heartbeat from a minion whose clock is behind: seen first now, so alive.
        _ = reconciler.reconcile(F.node(heartbeat: -3600), pods: pods, at: .seconds(100))
        let step9 = reconciler.reconcile(F.node(heartbeat: -3600), pods: pods, at: .seconds(115))
        #expect(step9.isEmpty)
        // A minion whose clock is ahead, or goes backwards, heartbeats as long as the value changes.
        let step10 = reconciler.observe(F.node(heartbeat: 7200), at: .seconds(110))
        #expect(step10)
        let step11 = reconciler.observe(F.node(heartbeat: -7200), at: .seconds(124))
        #expect(step11)
        let step12 = reconciler.reconcile(F.node(heartbeat: -7200), pods: pods, at: .seconds(139))
        #expect(step12.isEmpty)
    }

    @Test func aFreshControllerGivesEveryMinionAFullGracePeriod() {
        // A minion silent for long, even one marked NotReady by an earlier controller, gets a full
        // grace period from when this controller first sees it.
        var reconciler = MinionLifecycleReconciler()
        let marked = MinionLifecycleReconciler.markedNotReady(F.node(heartbeat: 0), at: F.time(30))
        for second in 0...15 {
            let step13 = reconciler.reconcile(marked, pods: pods, at: .seconds(second))
            #expect(step13.isEmpty, "at \(second) s")
        }
        let step14 = reconciler.reconcile(marked, pods: pods, at: .seconds(16))
        #expect(step14.fails.count == 2)
        let step15 = reconciler.reconcile(marked, pods: pods, at: .seconds(26))
        #expect(step15.deletes.count == 4)
    }

    @Test func aMinionWithoutAHeartbeatIsLostAfterTheGrace() {
        var reconciler = MinionLifecycleReconciler()
        var bare = F.node(heartbeat: nil)
        bare.status?.conditions = nil
        let step16 = reconciler.reconcile(bare, pods: [], at: .zero)
        #expect(step16.isEmpty)
        let step17 = reconciler.reconcile(bare, pods: [], at: .seconds(16))
        #expect(step17.marks == ["minion-1"])
    }

    @Test func aForgottenMinionStartsAgainFromAFullGrace() {
        var reconciler = MinionLifecycleReconciler()
        _ = reconciler.reconcile(F.node(heartbeat: 0), pods: [], at: .zero)
        reconciler.forget(minion: "minion-1")
        #expect(reconciler.silence(of: "minion-1", at: .seconds(30)) == nil)
        #expect(reconciler.liveness(of: "minion-1", at: .seconds(30)) == .alive)
        let step18 = reconciler.reconcile(F.node(heartbeat: 0), pods: [], at: .seconds(30))
        #expect(step18.isEmpty)
        #expect(reconciler.minions == ["minion-1"])
    }

    @Test func markingNotReadyKeepsTheHeartbeatAndTheOtherConditions() throws {
        let node = F.node(heartbeat: 42)
        let marked = MinionLifecycleReconciler.markedNotReady(node, at: F.time(100))
        let ready = try #require(marked.status?.conditions?.first { $0.type == "Ready" })
        #expect(ready.status == "Unknown")
        #expect(ready.reason == "MinionStatusUnknown")
        #expect(ready.message == "Minion stopped posting status")
        #expect(ready.lastHeartbeatTime == F.time(42))
        #expect(ready.lastTransitionTime == F.time(100))
        #expect(marked.status?.conditions?.count == 2)
        #expect(marked.status?.capacity == node.status?.capacity)
        #expect(marked.metadata.resourceVersion == "7", "written as a compare-and-swap")
        // Marking again does not move the transition time.
        let again = MinionLifecycleReconciler.markedNotReady(marked, at: F.time(200))
        #expect(again.status?.conditions?.first { $0.type == "Ready" }?.lastTransitionTime == F.time(100))
    }

    @Test func aLostPodIsFailedWithNodeLost() throws {
        let lost = MinionLifecycleReconciler.markedLost(F.pod("web-1"), minion: "minion-1", at: F.time(9))
        #expect(lost.status?.phase == .failed)
        #expect(lost.status?.reason == "NodeLost")
        #expect(lost.status?.message == "Minion minion-1 which was running pod web-1 is unresponsive")
        let ready = try #require(lost.status?.conditions?.first { $0.type == "Ready" })
        #expect(ready.status == "False")
        #expect(ready.reason == "NodeLost")
        #expect(lost.status?.conditions?.contains { $0.type == "PodScheduled" && $0.status == "True" } == true)
        #expect(lost.status?.podIP == "10.244.1.5")
        #expect(lost.metadata.resourceVersion == "9", "written as a compare-and-swap")
    }

    /// Seeded random heartbeat histories: a minion is never lost while its last heartbeat change
    /// is within the grace, its pods are never deleted before grace + eviction timeout, and once
    /// past the grace it is always lost.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func decisionsFollowTheSilenceOnly(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let grace = Duration.seconds(Int.random(in: 1...20, using: &random))
        let eviction = Duration.seconds(Int.random(in: 0...20, using: &random))
        var reconciler = MinionLifecycleReconciler(minionGrace: grace, podEvictionTimeout: eviction)
        var heartbeat = 0
        var changedAt = Duration.zero
        var now = Duration.zero
        for step in 0..<400 {
            now += .milliseconds(Int.random(in: 0...1500, using: &random))
            if Int.random(in: 0..<10, using: &random) < 2 {
                heartbeat += 1
                changedAt = now
            }
            // The first sight counts as a heartbeat.
            if step == 0 { changedAt = now }
            let actions = reconciler.reconcile(F.node(heartbeat: heartbeat), pods: pods, at: now)
            let silence = now - changedAt
            if silence <= grace {
                #expect(actions.isEmpty, "seed \(seed) step \(step): alive after \(silence)")
            } else if silence <= grace + eviction {
                #expect(actions.marks == ["minion-1"] && actions.fails.count == 2 && actions.deletes.isEmpty,
                        "seed \(seed) step \(step): lost after \(silence)")
            } else {
                #expect(actions.deletes.count == 4 && actions.fails.isEmpty,
                        "seed \(seed) step \(step): evicting after \(silence)")
            }
        }
    }
}
