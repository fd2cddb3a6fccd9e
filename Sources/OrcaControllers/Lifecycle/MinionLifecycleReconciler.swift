import OrcaAPI

/// The minion lifecycle decisions, as pure value code: when a minion counts as lost, and what
/// then happens to it and to the pods bound to it.
///
/// A minion's heartbeat is the `lastHeartbeatTime` of its `Ready` condition. The reconciler does
/// not compare that time with its own: it records, on the controller's monotonic clock, when it
/// saw the value change (``observe(_:at:)``), as Kubernetes' node controller does, so clock skew
/// between the minion and the master does not matter. A minion first seen counts as having just
/// heartbeated, so a freshly started controller gives every minion a full grace period.
///
/// Time is a `Duration` since some fixed start (the controller's start): callers pass "now".
///
/// - A minion silent for up to ``minionGrace`` is alive: nothing happens.
/// - Silent for longer, it is lost: its `Ready` condition becomes `Unknown` (unless it is
///   already) and each of its pods that is not yet `Succeeded` or `Failed` is failed with reason
///   `NodeLost`, so replication controllers replace them on live minions.
/// - Lost for longer than ``podEvictionTimeout`` (silent for `minionGrace + podEvictionTimeout`),
///   every pod bound to it is deleted.
/// - A heartbeat that changes makes it alive again (the minion itself writes `Ready=True`).
public struct MinionLifecycleReconciler: Sendable {
    /// How long a minion may go without a new heartbeat before it is lost.
    public var minionGrace: Duration
    /// How long the pods of a lost minion stay (as `Failed`) before they are deleted.
    public var podEvictionTimeout: Duration

    /// When the heartbeat of each minion last changed, as the controller saw it.
    private var heartbeats: [String: HeartbeatObservation] = [:]

    struct HeartbeatObservation: Sendable, Equatable {
        /// The `lastHeartbeatTime` of the minion's `Ready` condition (nil: it posted none).
        var heartbeat: Timestamp?
        /// When (controller time) that value was first seen.
        var seenAt: Duration
    }

    /// Where a minion stands, from its silence.
    public enum Liveness: Sendable, Equatable {
        /// Heartbeating (or not yet silent for the grace period).
        case alive
        /// Silent past the grace period: NotReady, its pods failed.
        case lost
        /// Lost for longer than the pod eviction timeout: its pods are deleted.
        case evicting
    }

    public static let notReadyReason = "MinionStatusUnknown"
    public static let notReadyMessage = "Minion stopped posting status"
    /// The reason of a pod failed because its minion was lost (Kubernetes' `NodeLost`).
    public static let podLostReason = "NodeLost"

    public static func podLostMessage(minion: String, pod: String) -> String {
        "Minion \(minion) which was running pod \(pod) is unresponsive"
    }

    public init(minionGrace: Duration = .seconds(15), podEvictionTimeout: Duration = .seconds(10)) {
        self.minionGrace = minionGrace
        self.podEvictionTimeout = podEvictionTimeout
    }

    // MARK: Heartbeats

    /// Records the heartbeat `node` carries, seen at `now`. Returns true when the minion is new to
    /// the reconciler or its heartbeat changed (both restart its silence from `now`).
    @discardableResult
    public mutating func observe(_ node: Node, at now: Duration) -> Bool {
        guard let name = node.metadata.name else { return false }
        let heartbeat = node.readyCondition?.lastHeartbeatTime
        if let known = heartbeats[name], known.heartbeat == heartbeat { return false }
        heartbeats[name] = HeartbeatObservation(heartbeat: heartbeat, seenAt: now)
        return true
    }

    /// Drops what is known of a minion (it was deleted); seen again, it starts a fresh grace period.
    public mutating func forget(minion name: String) {
        heartbeats[name] = nil
    }

    /// The minions the reconciler has observed.
    public var minions: [String] { Array(heartbeats.keys) }

    /// How long the minion has gone without a new heartbeat at `now`; nil for one never observed.
    public func silence(of minion: String, at now: Duration) -> Duration? {
        heartbeats[minion].map { now - $0.seenAt }
    }

    /// Where an observed minion stands at `now` (a minion never observed is alive).
    public func liveness(of minion: String, at now: Duration) -> Liveness {
        guard let silence = silence(of: minion, at: now) else { return .alive }
        return liveness(silence: silence)
    }

    /// Where a minion stands after `silence` without a new heartbeat.
    public func liveness(silence: Duration) -> Liveness {
        if silence <= minionGrace { return .alive }
        if silence <= minionGrace + podEvictionTimeout { return .lost }
        return .evicting
    }

    // MARK: Decisions

    /// Observes `node` at `now`, then returns what to do about it and `pods` (those bound to it;
    /// others are ignored).
    public mutating func reconcile(_ node: Node, pods: [Pod], at now: Duration) -> [MinionLifecycleAction] {
        observe(node, at: now)
        guard let name = node.metadata.name, let silence = silence(of: name, at: now) else { return [] }
        return actions(for: node, pods: pods, liveness: liveness(silence: silence))
    }

    /// What to do about `node` and the pods bound to it when it stands at `liveness`.
    public func actions(for node: Node, pods: [Pod], liveness: Liveness) -> [MinionLifecycleAction] {
        guard liveness != .alive, let name = node.metadata.name else { return [] }
        var actions: [MinionLifecycleAction] = []
        if node.readyCondition?.status != "Unknown" {
            actions.append(.markNotReady(minion: name))
        }
        for pod in pods where pod.spec?.nodeName == name {
            let namespace = pod.metadata.namespace ?? "default"
            let podName = pod.metadata.name ?? ""
            if liveness == .evicting {
                actions.append(.deletePod(namespace: namespace, name: podName))
            } else if !pod.isTerminal {
                actions.append(.failPod(namespace: namespace, name: podName))
            }
        }
        return actions
    }
}
