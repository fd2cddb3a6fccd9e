import OrcaAPI
import OrcaControllers
import Testing

@Suite struct ReplicationReconcilerTests {
    typealias F = ReplicationFixtures
    let reconciler = ReplicationReconciler()

    @Test func scalesUpFromTheTemplate() throws {
        let rc = F.rc(replicas: 3)
        let actions = reconciler.reconcile(rc: rc, pods: [], expectationsSatisfied: true)
        #expect(actions.creates.count == 3)
        let pod = try #require(actions.creates.first)
        #expect(pod.metadata.name == nil)
        #expect(pod.metadata.generateName == "web-")
        #expect(pod.metadata.namespace == "default")
        #expect(pod.metadata.labels == ["app": "web", "tier": "front"])
        #expect(pod.metadata.annotations == ["note": "from the template"])
        #expect(pod.metadata.ownerReferences == [
            OwnerReference(apiVersion: "v1", kind: "ReplicationController", name: "web", uid: F.uid, controller: true),
        ])
        #expect(pod.spec == rc.spec?.template?.spec)
        #expect(pod.status == nil)
        // The generated pod passes the API's own validation.
        #expect(pod.validate().isEmpty)
        #expect(actions.statusUpdates.map(\.replicas) == [0])
        #expect(actions.statusUpdates.first?.generation == 1)
    }

    @Test func createsOnlyTheDifference() {
        let rc = F.rc(replicas: 3)
        let pods = [F.pod("a", owner: rc), F.pod("b", owner: rc)]
        let actions = reconciler.reconcile(rc: rc, pods: pods, expectationsSatisfied: true)
        #expect(actions.creates.count == 1)
        #expect(actions.deletes.isEmpty)
    }

    @Test func scalesDownTheLeastUsefulFirst() {
        let rc = F.rc(replicas: 1)
        let pods = [
            F.pod("ready-old", owner: rc, createdAt: 0, readySince: 10),
            F.pod("ready-new", owner: rc, createdAt: 50, readySince: 60),
            F.pod("not-ready", owner: rc, ready: false),
            F.pod("pending", owner: rc, phase: .pending, ready: false),
            F.pod("unassigned", owner: rc, node: nil, phase: .pending, ready: false),
        ]
        let actions = reconciler.reconcile(rc: rc, pods: pods.shuffled(), expectationsSatisfied: true)
        #expect(actions.deletes == ["unassigned", "pending", "not-ready", "ready-new"])
        #expect(actions.creates.isEmpty)
    }

    @Test(arguments: [
        // Of two otherwise equal pods, the newer goes first.
        ([F.pod("old", createdAt: 0), F.pod("new", createdAt: 100)], "new"),
        // A pod ready for less time goes before one ready longer, whatever their age.
        ([F.pod("long", createdAt: 100, readySince: 110), F.pod("short", createdAt: 0, readySince: 500)], "short"),
        // More restarts go first.
        ([F.pod("steady", createdAt: 100), F.pod("flaky", createdAt: 0, restarts: 4)], "flaky"),
        // Unknown before Running.
        ([F.pod("running"), F.pod("unknown", phase: .unknown)], "unknown"),
        // All else equal, by name.
        ([F.pod("b"), F.pod("a")], "a"),
    ])
    func deletionOrderPicks(_ pods: [Pod], first: String) {
        #expect(ReplicationReconciler.deletionOrder(pods).first?.metadata.name == first)
        #expect(ReplicationReconciler.deletionOrder(pods.reversed()).first?.metadata.name == first)
    }

    @Test func replacesAFailedPodThenDeletesIt() {
        let rc = F.rc(replicas: 2)
        let failed = F.pod("failed", owner: rc, phase: .failed, ready: false)
        var pods = [F.pod("a", owner: rc), failed]
        var actions = reconciler.reconcile(rc: rc, pods: pods, expectationsSatisfied: true)
        #expect(actions.creates.count == 1)
        #expect(actions.deletes.isEmpty, "the failed pod stays visible until its replacement exists")
        #expect(actions.statusUpdates.map(\.replicas) == [1])

        pods.append(F.pod("replacement", owner: rc))
        actions = reconciler.reconcile(rc: rc, pods: pods, expectationsSatisfied: true)
        #expect(actions.creates.isEmpty)
        #expect(actions.deletes == ["failed"])
    }

    @Test func replacesSucceededAndDeletingPods() {
        let rc = F.rc(replicas: 3)
        let pods = [
            F.pod("done", owner: rc, phase: .succeeded, ready: false),
            F.pod("going", owner: rc, deleting: true),
            F.pod("live", owner: rc),
        ]
        let actions = reconciler.reconcile(rc: rc, pods: pods, expectationsSatisfied: true)
        #expect(actions.creates.count == 2)
        #expect(actions.deletes.isEmpty)
    }

    @Test func stopDeletesEverythingItOwns() {
        let rc = F.rc(replicas: 0)
        let pods = [F.pod("a", owner: rc), F.pod("b", owner: rc, ready: false), F.pod("c", owner: rc, phase: .failed)]
        let actions = reconciler.reconcile(rc: rc, pods: pods, expectationsSatisfied: true)
        #expect(Set(actions.deletes) == ["a", "b", "c"])
        #expect(actions.deletes.last == "c", "surplus live pods first, then ended ones")
    }

    @Test func adoptsMatchingOrphans() throws {
        let rc = F.rc(replicas: 3)
        let pods = [
            F.pod("orphan-1"), F.pod("orphan-2"),
            F.pod("orphan-failed", phase: .failed),
            F.pod("orphan-going", deleting: true),
        ]
        let actions = reconciler.reconcile(rc: rc, pods: pods, expectationsSatisfied: true)
        #expect(actions.adoptions.map(\.metadata.name) == ["orphan-1", "orphan-2"])
        #expect(actions.creates.count == 1)
        let adopted = try #require(actions.adoptions.first)
        #expect(adopted.metadata.ownerReferences == [ReplicationReconciler.ownerReference(to: rc)])
        #expect(adopted.metadata.resourceVersion == "5", "adoption is a compare-and-swap on the version read")
        #expect(actions.statusUpdates.map(\.replicas) == [2])
    }

    @Test func adoptionKeepsOtherOwners() {
        let rc = F.rc(replicas: 1)
        var pod = F.pod("shared")
        pod.metadata.ownerReferences = [OwnerReference(kind: "Thing", name: "t", uid: "t-uid", controller: false)]
        let actions = reconciler.reconcile(rc: rc, pods: [pod], expectationsSatisfied: true)
        #expect(actions.adoptions.first?.metadata.ownerReferences?.map(\.uid) == ["t-uid", F.uid])
        #expect(actions.creates.isEmpty)
    }

    @Test func ignoresPodsItDoesNotSelectOrControl() {
        let rc = F.rc(replicas: 1)
        let other = F.rc("other", replicas: 1, uid: "other-uid")
        let pods = [
            F.pod("elsewhere", namespace: "prod"),
            F.pod("elsewhere-owned", owner: F.rc(replicas: 1, namespace: "prod"), namespace: "prod"),
            F.pod("unlabelled", labels: ["app": "db"]),
            F.pod("not-all-labels", labels: [:]),
            F.pod("someone-elses", owner: other),
        ]
        let actions = reconciler.reconcile(rc: rc, pods: pods, expectationsSatisfied: true)
        #expect(actions.creates.count == 1, "\(actions)")
        #expect(actions.deletes.isEmpty)
        #expect(actions.adoptions.isEmpty)
        #expect(actions.releases.isEmpty)
    }

    @Test func releasesPodsThatNoLongerMatch() {
        let rc = F.rc(replicas: 1)
        let relabelled = F.pod("relabelled", labels: ["app": "debug"], owner: rc)
        let actions = reconciler.reconcile(rc: rc, pods: [relabelled], expectationsSatisfied: true)
        #expect(actions.releases.map(\.metadata.name) == ["relabelled"])
        #expect(actions.releases.first?.metadata.ownerReferences == nil)
        #expect(actions.creates.count == 1, "a released pod is not a replica")
    }

    @Test func waitsForExpectationsBeforeCreatingOrDeleting() {
        let rc = F.rc(replicas: 3)
        var actions = reconciler.reconcile(rc: rc, pods: [F.pod("orphan")], expectationsSatisfied: false)
        #expect(actions.creates.isEmpty)
        #expect(actions.adoptions.count == 1, "adoption and status do not wait")
        #expect(actions.statusUpdates.map(\.replicas) == [1])

        let shrink = F.rc(replicas: 0)
        actions = reconciler.reconcile(rc: shrink, pods: [F.pod("a", owner: shrink)], expectationsSatisfied: false)
        #expect(actions.deletes.isEmpty)
    }

    @Test func createsAtMostABurstPerReconcile() {
        let actions = ReplicationReconciler(configuration: .init(burstReplicas: 500))
            .reconcile(rc: F.rc(replicas: 2000), pods: [], expectationsSatisfied: true)
        #expect(actions.creates.count == 500)
        let rc = F.rc(replicas: 0)
        let pods = (0..<20).map { F.pod("p\($0)", owner: rc) }
        let small = ReplicationReconciler(configuration: .init(burstReplicas: 7))
            .reconcile(rc: rc, pods: pods, expectationsSatisfied: true)
        #expect(small.deletes.count == 7)
    }

    @Test func writesStatusOnlyWhenItChanges() {
        var rc = F.rc(replicas: 2, generation: 4)
        let pods = [F.pod("a", owner: rc), F.pod("b", owner: rc, ready: false)]
        let first = reconciler.reconcile(rc: rc, pods: pods, expectationsSatisfied: true)
        #expect(first.statusUpdates.count == 1)
        #expect(first.statusUpdates.first?.replicas == 2)
        #expect(first.statusUpdates.first?.ready == 1)
        #expect(first.statusUpdates.first?.generation == 4)

        rc.status = ReplicationControllerStatus(replicas: 2, readyReplicas: 1, observedGeneration: 4)
        #expect(reconciler.reconcile(rc: rc, pods: pods, expectationsSatisfied: true).isEmpty)

        rc.metadata.generation = 5
        #expect(reconciler.reconcile(rc: rc, pods: pods, expectationsSatisfied: true).statusUpdates.count == 1)
    }

    @Test func aControllerBeingDeletedNeitherCreatesNorAdopts() {
        var rc = F.rc(replicas: 3)
        rc.metadata.deletionTimestamp = .now()
        let actions = reconciler.reconcile(rc: rc, pods: [F.pod("orphan")], expectationsSatisfied: true)
        #expect(actions.creates.isEmpty)
        #expect(actions.adoptions.isEmpty)
    }

    @Test func anEmptySelectorSelectsNothing() {
        let rc = F.rc(replicas: 1, selector: [:])
        let actions = reconciler.reconcile(rc: rc, pods: [F.pod("orphan")], expectationsSatisfied: true)
        #expect(actions.adoptions.isEmpty)
    }

    @Test func podFromTemplateNeedsASpec() {
        var rc = F.rc(replicas: 1)
        rc.spec?.template?.spec = nil
        #expect(ReplicationReconciler.pod(from: rc) == nil)
        #expect(reconciler.reconcile(rc: rc, pods: [], expectationsSatisfied: true).creates.isEmpty)
    }
}
