import Synchronization

/// What one pod watch has seen of each pod: when its ADDED arrived, when it was first seen bound
/// (`spec.nodeName` set) and Running, and its latest minion and phase. Monotonic nanoseconds.
final class PodTracker: Sendable {
    struct PodTimes: Sendable {
        var added: UInt64 = 0
        var bound: UInt64 = 0
        var running: UInt64 = 0
        var failed: UInt64 = 0
        var deleted: UInt64 = 0
        var node: String?
        var phase: String?
    }

    struct Counts: Codable, Sendable {
        var events = 0
        var added = 0
        var bound = 0
        var running = 0
        var failed = 0
        var deleted = 0
        var lastAdded: UInt64 = 0
        var lastBound: UInt64 = 0
        var lastRunning: UInt64 = 0
        /// Pods whose first sighting already had a minion (not created in this watch's window).
        var boundBeforeSeen = 0
    }

    private struct State {
        var pods: [String: PodTimes] = [:]
        var counts = Counts()
    }

    private let state = Mutex(State())

    init(expected: Int = 0) {
        state.withLock { $0.pods.reserveCapacity(expected) }
    }

    func apply(_ type: WatchStream<PodFields>.EventType, _ pod: PodFields, at time: UInt64) {
        guard let name = pod.metadata?.name else { return }
        state.withLock { state in
            state.counts.events += 1
            var times = state.pods[name] ?? PodTimes()
            if times.added == 0 {
                times.added = time
                state.counts.added += 1
                state.counts.lastAdded = time
                if let node = pod.spec?.nodeName, !node.isEmpty { state.counts.boundBeforeSeen += 1 }
            }
            if let node = pod.spec?.nodeName, !node.isEmpty {
                times.node = node
                if times.bound == 0 {
                    times.bound = time
                    state.counts.bound += 1
                    state.counts.lastBound = time
                }
            }
            times.phase = pod.status?.phase
            if times.phase == "Running" && times.running == 0 {
                times.running = time
                state.counts.running += 1
                state.counts.lastRunning = time
            }
            if times.phase == "Failed" && times.failed == 0 {
                times.failed = time
                state.counts.failed += 1
            }
            if type == .deleted && times.deleted == 0 {
                times.deleted = time
                state.counts.deleted += 1
            }
            state.pods[name] = times
        }
    }

    var counts: Counts { state.withLock { $0.counts } }

    /// Every pod seen so far (copied; for the end of a run or small clusters).
    var pods: [String: PodTimes] { state.withLock { $0.pods } }
}
