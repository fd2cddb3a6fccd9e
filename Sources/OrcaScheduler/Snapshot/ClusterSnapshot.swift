import OrcaAPI

/// The scheduler's view of the cluster: every minion with the summed requests, host ports and
/// spreading groups of the pods counted on it, kept up to date incrementally.
///
/// A pod is *counted* on a minion when it is bound there (or *assumed* there: the scheduler
/// decided and its binding is in flight) and has not terminated (phase neither `Succeeded` nor
/// `Failed`). Pods bound to a minion the snapshot does not know yet are remembered and counted
/// once the minion appears. Every change costs time in proportion to the pod or minion changed,
/// never to the cluster, so a decision reads precomputed aggregates.
///
/// A value type: mutate one copy from one place (the scheduler keeps it behind a lock).
public struct ClusterSnapshot: Sendable {
    /// A pod remembered by the snapshot.
    struct PodEntry: Sendable {
        var minion: String
        var usage: PodUsage
        /// Spreading groups (ids into `groups`).
        var groups: [Int32]
        /// Placed by the scheduler but not yet seen bound by the informer.
        var assumed: Bool
        var namespace: String
        /// Labels of a pod without a controller owner, whose groups follow the selectors.
        var labels: [String: String]?
    }

    /// Pods of one spreading group per minion slot.
    struct SpreadGroup: Sendable {
        var key: String
        /// Pod entries in the group, counted or not; the group is dropped at 0.
        var members = 0
        var countBySlot: [Int: Int] = [:]
    }

    /// Minion slots; a removed minion leaves an inactive slot that a new minion reuses, so slot
    /// numbers held elsewhere (spreading counts) never shift.
    var minions: [MinionInfo] = []
    var active: [Bool] = []
    var slotByName: [String: Int] = [:]
    var freeSlots: [Int] = []

    /// Numbers of the label pairs seen on minions, for ``LabelMask``; never reused.
    var labelBits: [LabelPair: Int] = [:]

    var pods: [String: PodEntry] = [:]
    var podKeysByMinion: [String: Set<String>] = [:]

    var groups: [SpreadGroup] = []
    var groupIDs: [String: Int32] = [:]
    var freeGroupIDs: [Int32] = []
    /// Service and RC selectors by namespace, then by `Kind/namespace/name`.
    var selectors: [String: [String: [String: String]]] = [:]
    /// Keys of counted-or-assumed pods without a controller owner, by namespace.
    var unownedPods: [String: Set<String>] = [:]

    public init() {}

    /// A snapshot of `minions` with `pods` (bound ones are counted; others are ignored).
    public init(minions: [Node], pods: [Pod] = []) {
        for node in minions { update(minion: node) }
        for pod in pods { update(pod: pod) }
    }

    // MARK: Reading

    /// Minions known to the snapshot.
    public var minionCount: Int { slotByName.count }

    /// Pods remembered (counted, assumed, or bound to a minion not known yet).
    public var podCount: Int { pods.count }

    /// The minion called `name`, with what is counted on it.
    public func minion(named name: String) -> MinionInfo? {
        slotByName[name].map { minions[$0] }
    }

    /// Every minion, in slot order.
    public var allMinions: [MinionInfo] {
        minions.indices.filter { active[$0] }.map { minions[$0] }
    }

    /// Whether the pod with key `namespace/name` is assumed (decided, binding not yet seen).
    public func isAssumed(_ key: String) -> Bool { pods[key]?.assumed == true }

    /// The minion the pod with key `namespace/name` is counted (or waiting to be counted) on.
    public func minionOfPod(_ key: String) -> String? { pods[key]?.minion }

    /// Whether a pod counts against its minion: bound, and not terminated.
    public static func counts(_ pod: Pod) -> Bool {
        guard let node = pod.spec?.nodeName, !node.isEmpty else { return false }
        return !isTerminated(pod)
    }

    static func isTerminated(_ pod: Pod) -> Bool {
        let phase = pod.status?.phase
        return phase == .succeeded || phase == .failed
    }

    static func key(of pod: Pod) -> String {
        "\(pod.metadata.namespace ?? "default")/\(pod.metadata.name ?? "")"
    }
}
