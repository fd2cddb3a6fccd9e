import Foundation
import OrcaAPI
@testable import OrcaControllers
import Testing
import OrcaTesting

/// A model of one namespace as the replication manager sees it: the API server's pods (the
/// truth), the ordered watch events not yet seen, the manager's cache, and its expectations, with
/// the same bookkeeping the manager's informer handlers do.
struct ReplicationWorld {
    enum Event {
        case added(Pod), modified(Pod), deleted(Pod)
    }

    let key = "default/web"
    var rc: ReplicationController
    var expectations: ReplicationExpectations
    let reconciler = ReplicationReconciler(configuration: .init(burstReplicas: 5))
    var server: [String: Pod] = [:]
    var unseen: [Event] = []
    var cache: [String: Pod] = [:]
    var now: Duration = .zero
    private var serial = 0

    init(replicas: Int, ttl: Duration = .seconds(30)) {
        rc = ReplicationFixtures.rc(replicas: replicas)
        expectations = ReplicationExpectations(ttl: ttl)
    }

    var desired: Int { rc.spec?.replicas ?? 0 }

    /// Pods the RC controls that match its selector and are live, on the server.
    var liveReplicas: [Pod] {
        server.values.filter {
            $0.controllerReference?.uid == ReplicationFixtures.uid && $0.metadata.labels?["app"] == "web"
                && !$0.isFinished
        }
    }

    var liveOrphans: [Pod] {
        server.values.filter { $0.controllerReference == nil && $0.metadata.labels?["app"] == "web" && !$0.isFinished }
    }

    var ownedFinished: [Pod] {
        server.values.filter { $0.controllerReference?.uid == ReplicationFixtures.uid && $0.isFinished }
    }

    // MARK: The server

    private mutating func store(_ pod: Pod, created: Bool) {
        var pod = pod
        serial += 1
        pod.metadata.resourceVersion = String(serial)
        server[pod.metadata.name!] = pod
        unseen.append(created ? .added(pod) : .modified(pod))
    }

    mutating func createOrphan() {
        serial += 1
        var pod = ReplicationFixtures.pod("orphan-\(serial)")
        pod.metadata.creationTimestamp = Timestamp(Date(timeIntervalSince1970: Double(serial)))
        store(pod, created: true)
    }

    mutating func fail(_ name: String) {
        guard var pod = server[name] else { return }
        pod.status?.phase = .failed
        store(pod, created: false)
    }

    mutating func delete(_ name: String) -> Bool {
        guard let pod = server.removeValue(forKey: name) else { return false }
        unseen.append(.deleted(pod))
        return true
    }

    mutating func scale(to replicas: Int) {
        rc.spec?.replicas = replicas
        rc.metadata.generation = (rc.metadata.generation ?? 1) + 1
    }

    // MARK: The manager

    /// The informer applies the oldest `count` unseen events, calling the handlers' bookkeeping.
    mutating func deliver(_ count: Int) {
        for event in unseen.prefix(count) {
            switch event {
            case .added(let pod):
                cache[pod.metadata.name!] = pod
                if pod.controllerReference != nil { expectations.creationObserved(for: key) }
            case .modified(let pod):
                cache[pod.metadata.name!] = pod
            case .deleted(let pod):
                cache[pod.metadata.name!] = nil
                // As the manager's handler: the controller's pods, or orphans its selector matches.
                if pod.controllerReference != nil || pod.metadata.labels?["app"] == "web" {
                    expectations.deletionObserved(pod: pod.metadata.name!, for: key)
                }
            }
        }
        unseen.removeFirst(min(count, unseen.count))
    }

    mutating func deliverAll() { deliver(unseen.count) }

    /// One sync of the RC, as the manager does it; `failCreates` makes every create fail.
    /// Returns the actions and whether expectations had expired (a decision on a stale cache).
    @discardableResult
    mutating func sync(failCreates: Bool = false) -> (actions: [ReplicationAction], expired: Bool) {
        let satisfied = expectations.isSatisfied(key, now: now)
        let expired = satisfied && expectations.pending(for: key) != nil
        let actions = reconciler.reconcile(rc: rc, pods: Array(cache.values), expectationsSatisfied: satisfied)
        expectations.expect(actions, for: key, now: now)
        for action in actions {
            switch action {
            case .create(var pod):
                if failCreates {
                    expectations.creationObserved(for: key)
                    continue
                }
                serial += 1
                pod.metadata.name = pod.metadata.generateName! + "\(serial)"
                pod.metadata.uid = "uid-\(serial)"
                pod.metadata.creationTimestamp = Timestamp(Date(timeIntervalSince1970: Double(serial)))
                pod.status = PodStatus(phase: .pending)
                store(pod, created: true)
            case .delete(let name):
                if !delete(name) { expectations.deletionObserved(pod: name, for: key) }
            case .adopt(let pod), .release(let pod):
                // Compare-and-swap: a stale write is refused.
                if server[pod.metadata.name!]?.metadata.resourceVersion == pod.metadata.resourceVersion {
                    store(pod, created: false)
                }
            case .updateStatus(let replicas, let ready, let generation):
                rc.status = ReplicationControllerStatus(replicas: replicas, readyReplicas: ready,
                                                        observedGeneration: generation)
            }
        }
        return (actions, expired)
    }

    /// Delivers everything and syncs until a sync has nothing to do; returns how many syncs it took.
    mutating func settle(limit: Int = 20) -> Int? {
        for round in 1...limit {
            deliverAll()
            let (actions, _) = sync()
            deliverAll()
            if actions.isEmpty { return round }
        }
        return nil
    }
}

extension Pod {
    fileprivate var isFinished: Bool {
        status?.phase == .failed || status?.phase == .succeeded || metadata.deletionTimestamp != nil
    }
}

@Suite struct ReplicationSimulationTests {
    /// Random replica changes, pod failures, deletions, orphans, failed creates and a watch that
    /// lags by a random number of events: the manager never creates past the desired count
    /// while it is waiting on expectations, and once events stop it converges to exactly N.
    @Test(arguments: 0..<200)
    func convergesAndNeverOvercreates(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var world = ReplicationWorld(replicas: Int.random(in: 0...6, using: &random))
        for _ in 0..<150 {
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<8:
                world.scale(to: Int.random(in: 0...8, using: &random))
            case 8..<16:
                if let pod = world.server.keys.sorted().randomElement(using: &random) { world.fail(pod) }
            case 16..<22:
                if let pod = world.server.keys.sorted().randomElement(using: &random) { _ = world.delete(pod) }
            case 22..<26:
                world.createOrphan()
            case 26..<56:
                world.deliver(Int.random(in: 0...max(0, world.unseen.count), using: &random))
            case 56..<60:
                world.sync(failCreates: true)
            case 60..<95:
                let before = world.liveReplicas.count
                let (actions, expired) = world.sync()
                if !actions.creates.isEmpty && !expired {
                    #expect(world.liveReplicas.count <= world.desired,
                            "seed \(seed): created past \(world.desired) (had \(before), cache lagged)")
                }
            default:
                world.now += .milliseconds(Int64.random(in: 0...500, using: &random))
            }
        }

        let rounds = world.settle()
        #expect(rounds != nil, "seed \(seed): did not converge")
        #expect(world.liveReplicas.count == world.desired, "seed \(seed): \(world.liveReplicas.count) live replicas")
        #expect(world.liveOrphans.isEmpty, "seed \(seed): matching orphans were not adopted")
        #expect(world.ownedFinished.isEmpty, "seed \(seed): ended pods were not cleaned up")
        #expect(world.rc.status?.replicas == world.desired)
        #expect(world.rc.status?.observedGeneration == world.rc.metadata.generation)

        // Converged means stable: more syncs change nothing.
        for _ in 0..<3 {
            #expect(world.sync().actions.isEmpty)
        }
        #expect(world.liveReplicas.count == world.desired)
    }

    /// A watch that loses the creation events (a relist between them): expectations hold the
    /// manager back until the TTL, and then it recovers without exceeding N once it sees the pods.
    @Test func lostEventsDelayByAtMostTheTTL() {
        var world = ReplicationWorld(replicas: 4, ttl: .seconds(30))
        #expect(world.sync().actions.creates.count == 4)
        // The watch drops the four ADDED events; a relist would show the pods without them.
        world.unseen.removeAll()
        world.now += .seconds(10)
        #expect(world.sync().actions.creates.isEmpty)
        // The relist fills the cache, not counting as observations of the creations.
        world.cache = world.server
        world.now += .seconds(20)
        let (actions, expired) = world.sync()
        #expect(expired)
        #expect(actions.creates.isEmpty, "after the TTL it decides on the cache, which has all four")
        #expect(world.liveReplicas.count == 4)
    }

    /// Scaling 3 -> 5 -> 0 as the seed's `resize` and `stop` do, with the watch one step behind.
    @Test func resizesThenStops() {
        var world = ReplicationWorld(replicas: 3)
        #expect(world.settle() != nil)
        #expect(world.liveReplicas.count == 3)
        world.scale(to: 5)
        #expect(world.sync().actions.creates.count == 2)
        #expect(world.sync().actions.creates.isEmpty, "waiting for the two creations")
        #expect(world.settle() != nil)
        #expect(world.liveReplicas.count == 5)
        world.scale(to: 0)
        #expect(world.sync().actions.deletes.count == 5)
        #expect(world.settle() != nil)
        #expect(world.server.isEmpty)
        #expect(world.rc.status?.replicas == 0)
    }
}
