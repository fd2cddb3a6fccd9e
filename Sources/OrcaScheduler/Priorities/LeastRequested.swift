/// Prefers the minion with the most room left after placing the pod: for CPU and for memory,
/// `10 * free / allocatable` (integer, 0-10), averaged — Kubernetes' least-requested priority.
///
/// It uses the scoring amounts (containers without requests count as 100m and 200 MiB), so pods
/// that request nothing still spread by count. A resource the minion does not declare scores 0,
/// as in Kubernetes.
public enum LeastRequested {
    public static let maxScore = 10

    public static func score(_ pod: PodRequest, _ minion: MinionInfo) -> Int {
        score(pod, minion.summary)
    }

    public static func score(_ pod: PodRequest, _ minion: MinionSummary) -> Int {
        let cpu = score(requested: minion.scoringMilliCPU &+ pod.scoringMilliCPU,
                        allocatable: minion.allocatableMilliCPU)
        let memory = score(requested: minion.scoringMemory &+ pod.scoringMemory, allocatable: minion.allocatableMemory)
        return (cpu + memory) / 2
    }

    /// `10 * (allocatable - requested) / allocatable`, 0 when nothing is declared or all is taken.
    public static func score(requested: Int64, allocatable: Int64) -> Int {
        guard allocatable > 0, requested < allocatable else { return 0 }
        let free = allocatable - max(0, requested)
        let (tenths, overflow) = free.multipliedReportingOverflow(by: Int64(maxScore))
        // Only an absurd amount (beyond 9e17) overflows; dividing the divisor instead is close enough.
        if overflow { return Int(free / (allocatable / Int64(maxScore))) }
        return Int(tenths / allocatable)
    }
}
