import Foundation
import OrcaAPI
import OrcaControllers
import Synchronization

/// Minions and pods for the lifecycle tests.
enum LifecycleFixtures {
    /// A wall-clock time `seconds` after a fixed origin, for heartbeats: the controller compares
    /// heartbeats only with earlier heartbeats, never with its own clock.
    static func time(_ seconds: Int) -> Timestamp {
        Timestamp(Date(timeIntervalSince1970: 1_700_000_000 + Double(seconds)))
    }

    /// A minion whose `Ready` condition has `status` and a heartbeat at `heartbeat` (nil: none).
    static func node(_ name: String = "minion-1", heartbeat: Int? = 0, ready: String = "True") -> Node {
        var meta = ObjectMeta(name: name)
        meta.uid = "uid-\(name)"
        meta.resourceVersion = "7"
        let conditions = [
            NodeCondition(type: "Ready", status: ready, lastHeartbeatTime: heartbeat.map(time),
                          lastTransitionTime: time(0), reason: "MinionReady"),
            NodeCondition(type: "DiskPressure", status: "False", lastHeartbeatTime: heartbeat.map(time)),
        ]
        return Node(metadata: meta, spec: NodeSpec(podCIDR: "10.244.1.0/24"),
                    status: NodeStatus(capacity: ["cpu": Quantity(integer: 4)], conditions: conditions))
    }

    static func pod(_ name: String, node: String? = "minion-1", phase: PodPhase = .running,
                    namespace: String = "default") -> Pod {
        var meta = ObjectMeta(name: name, namespace: namespace)
        meta.uid = "uid-\(name)"
        meta.resourceVersion = "9"
        var status = PodStatus(phase: phase)
        status.podIP = "10.244.1.5"
        status.conditions = [PodCondition(type: "Ready", status: "True"),
                             PodCondition(type: "PodScheduled", status: "True")]
        return Pod(metadata: meta, spec: PodSpec(containers: [Container(name: "web", image: "nginx")], nodeName: node),
                   status: status)
    }
}

extension Duration {
    static func s(_ seconds: Double) -> Duration { .milliseconds(Int64(seconds * 1000)) }
}

extension [MinionLifecycleAction] {
    var marks: [String] { compactMap { if case .markNotReady(let minion) = $0 { minion } else { nil } } }
    var fails: [String] { compactMap { if case .failPod(_, let name) = $0 { name } else { nil } } }
    var deletes: [String] { compactMap { if case .deletePod(_, let name) = $0 { name } else { nil } } }
}

/// A clock that moves only when a test advances it; sleeps end early when their task is cancelled.
final class LifecycleManualClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (a: Instant, b: Instant) -> Bool { a.offset < b.offset }
    }

    private struct Sleeper {
        var id: Int
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleepers: [Sleeper] = []
        var nextID = 0
    }

    private let state = Mutex(State())
    var now: Instant { state.withLock { $0.now } }
    var minimumResolution: Duration { .nanoseconds(1) }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                let ready = state.withLock { state -> Bool in
                    if deadline <= state.now || Task.isCancelled { return true }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: c))
                    return false
                }
                if ready { c.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let i = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: i)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }

    /// Moves time forward and wakes every sleeper whose deadline has come.
    func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}

/// SplitMix64, seedable, so a failing property names the seed that reproduces it.
struct LifecycleRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
