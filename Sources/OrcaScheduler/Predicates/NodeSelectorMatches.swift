/// Every label of the pod's `spec.nodeSelector` is on the minion with the same value.
public enum NodeSelectorMatches {
    public static func check(_ pod: PodRequest, _ minion: MinionInfo) -> PredicateFailure? {
        check(pod, labels: minion.labels)
    }

    public static func check(_ pod: PodRequest, labels: [String: String]) -> PredicateFailure? {
        for (key, value) in pod.nodeSelector where labels[key] != value {
            return .nodeSelectorMismatch
        }
        return nil
    }

    /// The same answer from the snapshot's label numbers; `labels` is read only when the
    /// selector names a label without a number.
    static func check(_ pod: PodRequest, _ required: RequiredLabels, _ minion: MinionSummary,
                      labels: @autoclosure () -> [String: String]) -> PredicateFailure? {
        switch required {
        case .mask(let mask): minion.labelMask.contains(mask) ? nil : .nodeSelectorMismatch
        case .unmatchable: .nodeSelectorMismatch
        case .compareLabels: check(pod, labels: labels())
        }
    }
}
