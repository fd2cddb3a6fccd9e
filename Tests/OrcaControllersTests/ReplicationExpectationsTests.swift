@testable import OrcaControllers
import OrcaAPI
import Synchronization
import Testing
import OrcaTesting

@Suite struct ReplicationExpectationsTests {
    typealias F = ReplicationFixtures
    let key = "default/web"

    @Test func creationsAreCounted() {
        var expectations = ReplicationExpectations(ttl: .seconds(30))
        #expect(expectations.isSatisfied(key, now: .zero))
        expectations.expect(creations: 3, deletions: [], for: key, now: .zero)
        #expect(!expectations.isSatisfied(key, now: .seconds(1)))
        expectations.creationObserved(for: key)
        expectations.creationObserved(for: key)
        #expect(!expectations.isSatisfied(key, now: .seconds(1)))
        #expect(expectations.pending(for: key)?.creations == 1)
        expectations.creationObserved(for: key)
        #expect(expectations.isSatisfied(key, now: .seconds(1)))
        #expect(expectations.pending(for: key) == nil)
        #expect(expectations.isSatisfied("default/other", now: .seconds(1)))
    }

    @Test func deletionsAreTrackedByName() {
        var expectations = ReplicationExpectations()
        expectations.expect(creations: 0, deletions: ["a", "b"], for: key, now: .zero)
        expectations.deletionObserved(pod: "unrelated", for: key)
        expectations.deletionObserved(pod: "a", for: "default/other")
        #expect(!expectations.isSatisfied(key, now: .zero))
        expectations.deletionObserved(pod: "a", for: key)
        expectations.deletionObserved(pod: "a", for: key)
        #expect(!expectations.isSatisfied(key, now: .zero))
        expectations.deletionObserved(pod: "b", for: key)
        #expect(expectations.isSatisfied(key, now: .zero))
    }

    @Test func expireAfterTheTTL() {
        var expectations = ReplicationExpectations(ttl: .seconds(30))
        expectations.expect(creations: 2, deletions: [], for: key, now: .seconds(100))
        #expect(expectations.timeUntilExpiry(key, now: .seconds(110)) == .seconds(20))
        #expect(!expectations.isSatisfied(key, now: .seconds(129)))
        #expect(expectations.isSatisfied(key, now: .seconds(130)))
        #expect(expectations.timeUntilExpiry(key, now: .seconds(130)) == nil)
        // Expired expectations are replaced by the next ones.
        expectations.expect(creations: 1, deletions: [], for: key, now: .seconds(130))
        #expect(!expectations.isSatisfied(key, now: .seconds(131)))
    }

    @Test func expectingNothingOrForgettingClears() {
        var expectations = ReplicationExpectations()
        expectations.expect(creations: 1, deletions: ["x"], for: key, now: .zero)
        expectations.forget(key)
        #expect(expectations.isSatisfied(key, now: .zero))
        #expect(expectations.isSatisfied(key, now: .zero))
        // Expecting nothing keeps what is pending.
        expectations.expect(creations: 1, deletions: [], for: key, now: .zero)
        expectations.expect([.updateStatus(replicas: 1, readyReplicas: 1, observedGeneration: 1)], for: key, now: .zero)
        #expect(!expectations.isSatisfied(key, now: .zero))
        expectations.forget(key)
        expectations.expect([.create(Pod()), .create(Pod()), .delete(name: "z")], for: key, now: .zero)
        #expect(expectations.pending(for: key)?.creations == 2)
        #expect(expectations.pending(for: key)?.deletions == ["z"])
    }

    /// The manager's loop in miniature: a reconcile's creates are not repeated while the cache
    /// lags, until the cache shows them or the TTL passes on the (manual) clock.
    @Test func suppressDuplicateCreatesUntilObservedOrExpired() {
        let clock = ReplicationManualClock()
        let time = ControllerClock(clock)
        let reconciler = ReplicationReconciler()
        var expectations = ReplicationExpectations(ttl: .seconds(30))
        let rc = F.rc(replicas: 3)
        var cache: [Pod] = []

        func sync() -> Int {
            let now = time.now
            let actions = reconciler.reconcile(rc: rc, pods: cache,
                                               expectationsSatisfied: expectations.isSatisfied(key, now: now))
            expectations.expect(actions, for: key, now: now)
            return actions.creates.count
        }

        #expect(sync() == 3)
        clock.advance(by: .seconds(5))
        #expect(sync() == 0, "the cache has not shown the three pods yet")
        // Two show up: still waiting for the third.
        cache = [F.pod("web-1", owner: rc), F.pod("web-2", owner: rc)]
        expectations.creationObserved(for: key)
        expectations.creationObserved(for: key)
        #expect(sync() == 0)
        // The third never shows (its event was lost): after the TTL the controller decides again.
        clock.advance(by: .seconds(24))
        #expect(sync() == 0)
        clock.advance(by: .seconds(1))
        #expect(sync() == 1)
        cache.append(F.pod("web-3", owner: rc))
        expectations.creationObserved(for: key)
        #expect(sync() == 0)
        #expect(expectations.isSatisfied(key, now: time.now))
    }
}

/// A clock that moves only when told to; `sleep` waits until it has been advanced far enough.
final class ReplicationManualClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (a: Instant, b: Instant) -> Bool { a.offset < b.offset }
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleepers: [(deadline: Instant, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())
    var now: Instant { state.withLock { $0.now } }
    var minimumResolution: Duration { .nanoseconds(1) }

    func advance(by duration: Duration) {
        let due = state.withLock { state in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                if deadline <= state.now { return true }
                state.sleepers.append((deadline, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
        try Task.checkCancellation()
    }
}
