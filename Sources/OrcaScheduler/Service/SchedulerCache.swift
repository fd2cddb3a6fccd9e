import OrcaAPI
import Synchronization

/// The scheduler's mutable state behind one lock: the snapshot (fed by the informers' handlers,
/// read and assumed into by the decide loop) and what is known about unschedulable pods.
///
/// Held only for synchronous work (a decision is tens of microseconds); never across an `await`.
final class SchedulerCache: Sendable {
    struct State: Sendable {
        var snapshot = ClusterSnapshot()
        /// Pods last found unschedulable, with how many verdicts in a row (for their retry backoff).
        var unschedulable: [String: Int] = [:]
        /// Messages already reported per pod as an Event (one event per distinct message).
        var reportedEvents: [String: Set<String>] = [:]
        /// The message last written into a pod's `PodScheduled` condition.
        var reportedCondition: [String: String] = [:]
    }

    /// Distinct messages remembered per pod; past this many a pod gets no new events.
    static let maxEventsPerPod = 32

    private let state = Mutex(State())

    func withLock<R>(_ body: (inout State) throws -> R) rethrows -> R {
        try state.withLock { try body(&$0) }
    }

    /// Forgets what is known about a pod that was deleted or bound.
    func forgetUnschedulable(_ key: String) {
        state.withLock { state in
            state.unschedulable[key] = nil
            state.reportedEvents[key] = nil
            state.reportedCondition[key] = nil
        }
    }

    /// Keys of every pod last found unschedulable.
    var unschedulableKeys: [String] { state.withLock { Array($0.unschedulable.keys) } }
}
