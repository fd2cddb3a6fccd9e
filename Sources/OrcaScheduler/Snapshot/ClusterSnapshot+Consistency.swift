extension ClusterSnapshot {
    /// Recomputes every aggregate from the remembered pods and lists where the incremental
    /// bookkeeping disagrees (empty when consistent). For tests; linear in the cluster.
    func checkConsistency() -> [String] {
        var problems: [String] = []
        var expected = [MinionInfo](repeating: MinionInfo(name: ""), count: minions.count)
        var spread: [Int32: [Int: Int]] = [:]
        var members: [Int32: Int] = [:]
        for (key, entry) in pods {
            if podKeysByMinion[entry.minion]?.contains(key) != true { problems.append("\(key) not indexed by minion") }
            if (entry.labels == nil) == (unownedPods[entry.namespace]?.contains(key) == true) {
                problems.append("\(key) wrongly indexed as unowned")
            }
            for id in entry.groups { members[id, default: 0] += 1 }
            guard let slot = slotByName[entry.minion] else { continue }
            expected[slot].add(entry.usage)
            for id in entry.groups { spread[id, default: [:]][slot, default: 0] += 1 }
        }
        for (name, slot) in slotByName {
            guard active[slot], minions[slot].name == name else {
                problems.append("slot \(slot) of \(name) inactive or misnamed")
                continue
            }
            let m = minions[slot]
            let e = expected[slot]
            let (ms, es) = (m.summary, e.summary)
            if ms.requestedMilliCPU != es.requestedMilliCPU || ms.requestedMemory != es.requestedMemory
                || ms.scoringMilliCPU != es.scoringMilliCPU || ms.scoringMemory != es.scoringMemory
                || ms.podCount != es.podCount || m.usedHostPorts != e.usedHostPorts {
                problems.append("\(name): counted \(m.podCount) pods, expected \(e.podCount) (or sums differ)")
            }
        }
        for slot in minions.indices where !active[slot] && minions[slot].podCount != 0 {
            problems.append("inactive slot \(slot) counts pods")
        }
        for (key, id) in groupIDs {
            let group = groups[Int(id)]
            if group.key != key { problems.append("group \(key) has id of \(group.key)") }
            if group.members != members[id, default: 0] { problems.append("group \(key) has wrong member count") }
            if group.countBySlot != spread[id, default: [:]] { problems.append("group \(key) has wrong counts") }
        }
        if members.keys.contains(where: { groups[Int($0)].key.isEmpty }) { problems.append("pod in a freed group") }
        return problems
    }
}
