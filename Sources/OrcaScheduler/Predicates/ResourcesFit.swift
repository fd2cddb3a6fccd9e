/// The pod's CPU and memory requests fit what is left of the minion's allocatable amounts after
/// the pods already counted there.
///
/// A resource the pod does not request is not checked, and a minion that declares no amount
/// of a resource is not limited in it (the seed's Kubernetes 0.5 rule).
public enum ResourcesFit {
    public static func check(_ pod: PodRequest, _ minion: MinionInfo) -> PredicateFailure? {
        check(pod, minion.summary)
    }

    public static func check(_ pod: PodRequest, _ minion: MinionSummary) -> PredicateFailure? {
        if !fits(pod.milliCPU, used: minion.requestedMilliCPU, allocatable: minion.allocatableMilliCPU) {
            return .insufficientCPU
        }
        if !fits(pod.memory, used: minion.requestedMemory, allocatable: minion.allocatableMemory) {
            return .insufficientMemory
        }
        return nil
    }

    static func fits(_ request: Int64, used: Int64, allocatable: Int64) -> Bool {
        request <= 0 || allocatable <= 0 || request <= allocatable &- used
    }
}
