/// A minion takes pods only when its `Ready` condition is `True` and it is not cordoned
/// (`spec.unschedulable`).
public enum MinionReady {
    public static func check(_ pod: PodRequest, _ minion: MinionInfo) -> PredicateFailure? {
        check(pod, minion.summary)
    }

    public static func check(_ pod: PodRequest, _ minion: MinionSummary) -> PredicateFailure? {
        if !minion.ready { return .notReady }
        if minion.unschedulable { return .unschedulable }
        return nil
    }
}
