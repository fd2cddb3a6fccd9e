/// Pods by namespace and label, so a controller finds the pods a selector picks without scanning
/// every pod in the cluster (an RC or a service with 300 pods among 30,000).
///
/// A value type kept by a controller beside its pod informer (under a lock), updated from the
/// informer's handlers. It stores keys and labels only; the pods themselves stay in the informer.
struct PodLabelIndex: Sendable {
    private struct LabelPair: Hashable {
        var key: String
        var value: String
    }

    /// namespace -> label pair -> pod names.
    private var byLabel: [String: [LabelPair: Set<String>]] = [:]
    /// namespace/name -> the labels indexed for that pod.
    private var labelsByPod: [String: [String: String]] = [:]

    init() {}

    /// How many pods are indexed.
    var count: Int { labelsByPod.count }

    /// Indexes `labels` for the pod `name` in `namespace`, replacing what was indexed for it.
    mutating func set(namespace: String, name: String, labels: [String: String]) {
        let key = "\(namespace)/\(name)"
        let old = labelsByPod[key] ?? [:]
        if old == labels && labelsByPod[key] != nil { return }
        for (k, v) in old where labels[k] != v {
            let pair = LabelPair(key: k, value: v)
            byLabel[namespace]?[pair]?.remove(name)
            if byLabel[namespace]?[pair]?.isEmpty == true { byLabel[namespace]?[pair] = nil }
        }
        for (k, v) in labels where old[k] != v {
            byLabel[namespace, default: [:]][LabelPair(key: k, value: v), default: []].insert(name)
        }
        labelsByPod[key] = labels
    }

    /// Forgets the pod `name` in `namespace`.
    mutating func remove(namespace: String, name: String) {
        let key = "\(namespace)/\(name)"
        guard let old = labelsByPod.removeValue(forKey: key) else { return }
        for (k, v) in old {
            let pair = LabelPair(key: k, value: v)
            byLabel[namespace]?[pair]?.remove(name)
            if byLabel[namespace]?[pair]?.isEmpty == true { byLabel[namespace]?[pair] = nil }
        }
        if byLabel[namespace]?.isEmpty == true { byLabel[namespace] = nil }
    }

    /// The names of the pods in `namespace` whose labels include every pair of `selector`
    /// (intersecting from the smallest set). An empty selector selects nothing here: RCs require
    /// a selector, and a service without one has user-managed endpoints.
    func names(namespace: String, matching selector: [String: String]) -> Set<String> {
        guard !selector.isEmpty, let labels = byLabel[namespace] else { return [] }
        var sets: [Set<String>] = []
        for (k, v) in selector {
            guard let set = labels[LabelPair(key: k, value: v)] else { return [] }
            sets.append(set)
        }
        sets.sort { $0.count < $1.count }
        var result = sets[0]
        for other in sets.dropFirst() {
            result.formIntersection(other)
            if result.isEmpty { break }
        }
        return result
    }
}
