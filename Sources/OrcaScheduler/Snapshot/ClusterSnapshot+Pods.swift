import OrcaAPI

extension ClusterSnapshot {
    /// Takes in a pod as the API reports it.
    ///
    /// A bound, non-terminated pod is counted on its minion (an assumption on the same pod is
    /// replaced by the fact). A terminated pod is dropped. An unbound pod leaves the snapshot
    /// unchanged, so an assumption survives updates that arrive before the binding does.
    ///
    /// - Returns: whether resources were freed on a minion (the pod stopped counting there or
    ///   now takes less): the change that may let an unschedulable pod fit.
    @discardableResult
    public mutating func update(pod: Pod) -> Bool {
        let key = Self.key(of: pod)
        guard Self.counts(pod), let minion = pod.spec?.nodeName else {
            if Self.isTerminated(pod) { return remove(podWithKey: key) }
            return false
        }
        let request = PodRequest(key: key, spec: pod.spec)
        let groupKeys = spreadGroupKeys(of: pod)
        let usage = PodUsage(request)
        if var existing = pods[key], existing.minion == minion, existing.usage == usage,
           existing.groups.map({ groups[Int($0)].key }) == groupKeys {
            // The common update (a status change): nothing the scheduler counts has changed.
            if existing.assumed {
                existing.assumed = false
                pods[key] = existing
            }
            return false
        }
        let old = pods[key]
        let freed = remove(podWithKey: key)
        insert(key: key, pod: pod, usage: usage, groupKeys: groupKeys, minion: minion, assumed: false)
        // A pod that only changed groups (a selector was edited) frees nothing.
        return freed && (old?.minion != minion || old?.usage != usage)
    }

    /// Forgets a pod (deleted from the API).
    ///
    /// - Returns: whether it was counted on a known minion (its resources are now free).
    @discardableResult
    public mutating func remove(podWithKey key: String) -> Bool {
        guard let entry = pods.removeValue(forKey: key) else { return false }
        podKeysByMinion[entry.minion]?.remove(key)
        if podKeysByMinion[entry.minion]?.isEmpty == true { podKeysByMinion[entry.minion] = nil }
        if entry.labels != nil {
            unownedPods[entry.namespace]?.remove(key)
            if unownedPods[entry.namespace]?.isEmpty == true { unownedPods[entry.namespace] = nil }
        }
        var freed = false
        if let slot = slotByName[entry.minion] {
            uncount(entry, from: slot)
            freed = true
        }
        release(entry.groups)
        return freed
    }

    /// Counts a pod on `minion` at once, before the informer reports its binding, so the next
    /// decisions see it (kube-scheduler's assume cache). ``update(pod:)`` with the bound pod
    /// confirms it; ``forget(assumedPodWithKey:)`` undoes it when the binding fails.
    public mutating func assume(pod: Pod, on minion: String) {
        let key = Self.key(of: pod)
        assume(pod: pod, request: PodRequest(key: key, spec: pod.spec), groupKeys: spreadGroupKeys(of: pod),
               on: minion)
    }

    mutating func assume(pod: Pod, request: PodRequest, groupKeys: [String], on minion: String) {
        remove(podWithKey: request.key)
        insert(key: request.key, pod: pod, usage: PodUsage(request), groupKeys: groupKeys, minion: minion,
               assumed: true)
    }

    /// Undoes an assumption whose binding failed. A pod the informer has meanwhile reported bound
    /// (the assumption was confirmed, or another binding won) stays counted.
    ///
    /// - Returns: whether an assumption was undone.
    @discardableResult
    public mutating func forget(assumedPodWithKey key: String) -> Bool {
        guard pods[key]?.assumed == true else { return false }
        remove(podWithKey: key)
        return true
    }

    private mutating func insert(key: String, pod: Pod, usage: PodUsage, groupKeys: [String], minion: String,
                                 assumed: Bool) {
        let namespace = pod.metadata.namespace ?? "default"
        let unowned = Self.controllerOwner(of: pod) == nil
        let entry = PodEntry(
            minion: minion, usage: usage, groups: intern(groupKeys), assumed: assumed, namespace: namespace,
            labels: unowned ? (pod.metadata.labels ?? [:]) : nil)
        pods[key] = entry
        podKeysByMinion[minion, default: []].insert(key)
        if unowned { unownedPods[namespace, default: []].insert(key) }
        if let slot = slotByName[minion] { count(entry, on: slot) }
    }
}
