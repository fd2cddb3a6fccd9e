import OrcaAPI

extension ReplicationReconciler {
    /// `pods` in the order a controller deletes surplus replicas, first to go first, as
    /// Kubernetes ranks them: the least useful and the cheapest to lose first.
    ///
    /// 1. not yet bound to a minion before bound;
    /// 2. `Pending` before `Unknown` before `Running`;
    /// 3. not ready before ready;
    /// 4. of two ready pods, the one ready for less time;
    /// 5. more container restarts before fewer;
    /// 6. newer (`creationTimestamp`) before older;
    /// 7. then by name, so the order is total and the same every time.
    public static func deletionOrder(_ pods: [Pod]) -> [Pod] {
        pods.sorted(by: goesBefore)
    }

    static func goesBefore(_ a: Pod, _ b: Pod) -> Bool {
        let aBound = !(a.spec?.nodeName ?? "").isEmpty
        let bBound = !(b.spec?.nodeName ?? "").isEmpty
        if aBound != bBound { return !aBound }
        let aPhase = phaseRank(a), bPhase = phaseRank(b)
        if aPhase != bPhase { return aPhase < bPhase }
        if a.hasReadyCondition != b.hasReadyCondition { return !a.hasReadyCondition }
        if a.hasReadyCondition, let aSince = readySince(a), let bSince = readySince(b), aSince != bSince {
            return aSince > bSince
        }
        let aRestarts = restarts(a), bRestarts = restarts(b)
        if aRestarts != bRestarts { return aRestarts > bRestarts }
        let aCreated = a.metadata.creationTimestamp, bCreated = b.metadata.creationTimestamp
        if aCreated != bCreated {
            // A pod without a timestamp has not been stored yet: the newest of all.
            guard let aCreated else { return true }
            guard let bCreated else { return false }
            return aCreated > bCreated
        }
        return (a.metadata.name ?? "") < (b.metadata.name ?? "")
    }

    private static func phaseRank(_ pod: Pod) -> Int {
        switch pod.status?.phase {
        case .pending?, nil: 0
        case .unknown?: 1
        case .running?: 2
        case .succeeded?, .failed?: 3
        }
    }

    private static func readySince(_ pod: Pod) -> Timestamp? {
        pod.status?.conditions?.first { $0.type == "Ready" }?.lastTransitionTime
    }

    private static func restarts(_ pod: Pod) -> Int {
        pod.status?.containerStatuses?.reduce(0) { $0 + $1.restartCount } ?? 0
    }
}
