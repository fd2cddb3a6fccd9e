import OrcaAPI

/// Spreading groups: which pods count as "the same kind of pod" for ``SelectorSpreading``.
///
/// A pod with a controller `ownerReference` (a pod an RC made) is in one group, its owner's.
/// A pod without one is in the group of every service and RC selector of its namespace that
/// selects its labels (the snapshot is told the selectors with
/// ``ClusterSnapshot/setSpreadSelector(_:kind:namespace:name:)``).
/// Group keys are text (`owner/<uid>`, `Service/default/frontend`); each is interned to a small
/// id while some pod is in it.
extension ClusterSnapshot {
    /// The controller that owns a pod (`ownerReferences[].controller == true`), if any.
    static func controllerOwner(of pod: Pod) -> OwnerReference? {
        pod.metadata.ownerReferences?.first { $0.controller == true }
    }

    /// The spreading groups of a pod, from its owner or else the known selectors.
    public func spreadGroupKeys(of pod: Pod) -> [String] {
        if let owner = Self.controllerOwner(of: pod) {
            let namespace = pod.metadata.namespace ?? "default"
            return [owner.uid.isEmpty ? "owner/\(owner.kind)/\(namespace)/\(owner.name)" : "owner/\(owner.uid)"]
        }
        return selectorGroupKeys(namespace: pod.metadata.namespace ?? "default", labels: pod.metadata.labels)
    }

    func selectorGroupKeys(namespace: String, labels: [String: String]?) -> [String] {
        guard let labels, !labels.isEmpty, let inNamespace = selectors[namespace] else { return [] }
        var keys: [String] = []
        for (key, selector) in inNamespace where selector.allSatisfy({ labels[$0.key] == $0.value }) {
            keys.append(key)
        }
        return keys.sorted()
    }

    /// Tells the snapshot the selector of a service or replication controller; nil or empty
    /// removes it. Pods without a controller owner in that namespace are regrouped.
    public mutating func setSpreadSelector(_ selector: [String: String]?, kind: String, namespace: String,
                                           name: String) {
        let key = "\(kind)/\(namespace)/\(name)"
        let new = (selector?.isEmpty ?? true) ? nil : selector
        guard selectors[namespace]?[key] != new else { return }
        selectors[namespace, default: [:]][key] = new
        if selectors[namespace]?.isEmpty == true { selectors[namespace] = nil }
        regroupUnownedPods(namespace: namespace)
    }

    private mutating func regroupUnownedPods(namespace: String) {
        for podKey in unownedPods[namespace] ?? [] {
            guard var entry = pods[podKey] else { continue }
            let keys = selectorGroupKeys(namespace: namespace, labels: entry.labels)
            guard entry.groups.map({ groups[Int($0)].key }) != keys else { continue }
            let slot = slotByName[entry.minion]
            if let slot { uncount(entry, from: slot) }
            let old = entry.groups
            entry.groups = intern(keys)
            release(old)
            pods[podKey] = entry
            if let slot { count(entry, on: slot) }
        }
    }

    /// Ids for group keys, creating groups as needed; each id gains one member.
    mutating func intern(_ keys: [String]) -> [Int32] {
        keys.map { key in
            let id: Int32
            if let existing = groupIDs[key] {
                id = existing
            } else if let free = freeGroupIDs.popLast() {
                id = free
                groups[Int(id)] = SpreadGroup(key: key)
                groupIDs[key] = id
            } else {
                id = Int32(groups.count)
                groups.append(SpreadGroup(key: key))
                groupIDs[key] = id
            }
            groups[Int(id)].members += 1
            return id
        }
    }

    /// Each id loses one member; a group left empty is dropped.
    mutating func release(_ ids: [Int32]) {
        for id in ids {
            groups[Int(id)].members -= 1
            if groups[Int(id)].members == 0 {
                groupIDs[groups[Int(id)].key] = nil
                groups[Int(id)] = SpreadGroup(key: "")
                freeGroupIDs.append(id)
            }
        }
    }

    /// How many pods of each of the groups are counted on each minion, by minion name (for tests and tools).
    public func spreadCounts(groupKeys: [String]) -> [String: Int] {
        var result: [String: Int] = [:]
        for key in groupKeys {
            guard let id = groupIDs[key] else { continue }
            for (slot, count) in groups[Int(id)].countBySlot { result[minions[slot].name, default: 0] += count }
        }
        return result
    }
}
