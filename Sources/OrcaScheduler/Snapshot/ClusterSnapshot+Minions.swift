import OrcaAPI

extension ClusterSnapshot {
    /// Adds or refreshes a minion from its `Node`.
    ///
    /// - Returns: whether the minion is new or offers something different (readiness, cordon,
    ///   allocatable amounts, labels): the changes that may let an unschedulable pod fit.
    @discardableResult
    public mutating func update(minion node: Node) -> Bool {
        update(minion: MinionInfo(node: node))
    }

    /// Adds or refreshes a minion; what is counted on it is kept (the usage fields of `info` are ignored).
    @discardableResult
    public mutating func update(minion info: MinionInfo) -> Bool {
        if let slot = slotByName[info.name] {
            let changed = !minions[slot].sameOffer(as: info)
            minions[slot].ready = info.ready
            minions[slot].unschedulable = info.unschedulable
            minions[slot].allocatableMilliCPU = info.allocatableMilliCPU
            minions[slot].allocatableMemory = info.allocatableMemory
            if minions[slot].labels != info.labels {
                minions[slot].labels = info.labels
                minions[slot].summary.labelMask = labelMask(of: info.labels)
            }
            return changed
        }
        var fresh = info
        fresh.clearUsage()
        fresh.summary.labelMask = labelMask(of: info.labels)
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            minions[slot] = fresh
            active[slot] = true
        } else {
            slot = minions.count
            minions.append(fresh)
            active.append(true)
        }
        slotByName[info.name] = slot
        // Pods bound to it before it was known count from now on.
        for key in podKeysByMinion[info.name] ?? [] {
            if let entry = pods[key] { count(entry, on: slot) }
        }
        return true
    }

    /// Forgets a minion. Pods bound to it are remembered (they are still bound in the API) and
    /// count again if it comes back.
    @discardableResult
    public mutating func removeMinion(named name: String) -> Bool {
        guard let slot = slotByName.removeValue(forKey: name) else { return false }
        for key in podKeysByMinion[name] ?? [] {
            if let entry = pods[key] { uncount(entry, from: slot) }
        }
        minions[slot] = MinionInfo(name: "")
        active[slot] = false
        freeSlots.append(slot)
        return true
    }

    /// The bits of a minion's labels, numbering pairs not seen before while numbers are left.
    mutating func labelMask(of labels: [String: String]) -> LabelMask {
        var mask = LabelMask()
        for (key, value) in labels {
            let pair = LabelPair(key: key, value: value)
            if let bit = labelBits[pair] {
                mask.insert(bit)
            } else if labelBits.count < LabelMask.capacity {
                let bit = labelBits.count
                labelBits[pair] = bit
                mask.insert(bit)
            }
        }
        return mask
    }

    /// The bits a minion must have to match `selector`; nil when some pair has no number (the
    /// labels must then be compared); `.none` inside when no minion can match at all.
    func requiredLabelMask(_ selector: [String: String]) -> RequiredLabels {
        var mask = LabelMask()
        for (key, value) in selector {
            if let bit = labelBits[LabelPair(key: key, value: value)] {
                mask.insert(bit)
            } else {
                // While numbers are left, every pair on a minion has one: no minion has this pair.
                return labelBits.count < LabelMask.capacity ? .unmatchable : .compareLabels
            }
        }
        return .mask(mask)
    }

    /// Adds a pod's usage and spreading membership to a slot.
    mutating func count(_ entry: PodEntry, on slot: Int) {
        minions[slot].add(entry.usage)
        for id in entry.groups { groups[Int(id)].countBySlot[slot, default: 0] += 1 }
    }

    mutating func uncount(_ entry: PodEntry, from slot: Int) {
        minions[slot].remove(entry.usage)
        for id in entry.groups {
            let left = groups[Int(id)].countBySlot[slot, default: 0] - 1
            groups[Int(id)].countBySlot[slot] = left > 0 ? left : nil
        }
    }
}
