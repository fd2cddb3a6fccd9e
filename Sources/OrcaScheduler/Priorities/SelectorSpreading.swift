/// Prefers the minion with the fewest pods of the pod's own group — the pods of the same
/// replication controller (same controller `ownerReference`), or for a pod without one, the
/// pods selected by the same service or RC selector: `10 * (max - count) / max`, where `max`
/// is the most any minion has; 10 everywhere while the group has no pods.
public enum SelectorSpreading {
    public static let maxScore = 10

    public static func score(count: Int, maxCount: Int) -> Int {
        guard maxCount > 0 else { return maxScore }
        return maxScore * (maxCount - min(count, maxCount)) / maxCount
    }
}
