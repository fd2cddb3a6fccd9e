import OrcaAPI

/// What the scheduler decided for one pod.
public enum SchedulingDecision: Sendable, Equatable {
    /// Bind the pod to this minion.
    case bind(String)
    /// No minion passes every predicate; `reason` counts why, minion by minion
    /// (`0/3 minions available: 1 not ready, 2 insufficient cpu`).
    case unschedulable(reason: String)
}

/// Decides where `pod` goes: the minions that pass every predicate (``MinionReady``,
/// ``ResourcesFit``, ``HostPortsFree``, ``NodeSelectorMatches``) are scored by
/// ``LeastRequested`` plus ``SelectorSpreading``, and the best one wins.
///
/// Ties go to the first best minion in a scan that starts at a slot chosen by a hash of the
/// pod's key, so equal minions share pods and the same inputs always give the same answer.
/// Pure: no I/O, no clock, nothing changed.
public func schedule(pod: Pod, snapshot: ClusterSnapshot) -> SchedulingDecision {
    snapshot.schedule(PodRequest(pod: pod), groupKeys: snapshot.spreadGroupKeys(of: pod))
}

extension ClusterSnapshot {
    /// The decision for a pod already read into a request and its spreading group keys.
    public func schedule(_ request: PodRequest, groupKeys: [String]) -> SchedulingDecision {
        if let slot = bestMinion(for: request, groupKeys: groupKeys) {
            return .bind(minions[slot].name)
        }
        return .unschedulable(reason: unschedulableReason(for: request))
    }

    /// The slot of the best feasible minion, or nil when none passes every predicate.
    func bestMinion(for request: PodRequest, groupKeys: [String]) -> Int? {
        let slots = minions.count
        guard slots > 0 else { return nil }
        var groupIDs: [Int32] = []
        for key in groupKeys {
            if let id = self.groupIDs[key] { groupIDs.append(id) }
        }
        let start = Int(request.tieBreak % UInt64(slots))
        let required = request.nodeSelector.isEmpty ? .mask(LabelMask()) : requiredLabelMask(request.nodeSelector)
        if case .unmatchable = required { return nil }
        // Pods of the pod's groups per slot, on the stack for clusters of ordinary size.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: groupIDs.isEmpty ? 1 : slots) { spread in
            var maxCount = 0
            if !groupIDs.isEmpty {
                spread.initialize(repeating: 0)
                for id in groupIDs {
                    for (slot, count) in groups[Int(id)].countBySlot {
                        spread[slot] += count
                        maxCount = max(maxCount, spread[slot])
                    }
                }
            }
            var best: Int?
            var bestScore = Int.min
            minions.withUnsafeBufferPointer { minions in
                active.withUnsafeBufferPointer { active in
                    var slot = start
                    for _ in 0..<slots {
                        defer {
                            slot += 1
                            if slot == slots { slot = 0 }
                        }
                        // Cheapest predicates first; the verdict does not depend on the order. The
                        // summary is plain data: reading it retains nothing.
                        guard active[slot] else { continue }
                        let summary = minions[slot].summary
                        guard MinionReady.check(request, summary) == nil,
                              ResourcesFit.check(request, summary) == nil,
                              request.hostPorts.isEmpty
                                || HostPortsFree.check(request, usedHostPorts: minions[slot].usedHostPorts) == nil,
                              NodeSelectorMatches.check(request, required, summary, labels: minions[slot].labels) == nil
                        else { continue }
                        let spreading = groupIDs.isEmpty
                            ? SelectorSpreading.maxScore
                            : SelectorSpreading.score(count: spread[slot], maxCount: maxCount)
                        let score = LeastRequested.score(request, summary) + spreading
                        if score > bestScore {
                            bestScore = score
                            best = slot
                        }
                    }
                }
            }
            return best
        }
    }

    /// The first predicate that fails for a minion, in the documented order, or nil if it fits.
    public static func firstFailure(_ request: PodRequest, _ minion: MinionInfo) -> PredicateFailure? {
        MinionReady.check(request, minion)
            ?? NodeSelectorMatches.check(request, minion)
            ?? HostPortsFree.check(request, minion)
            ?? ResourcesFit.check(request, minion)
    }

    /// Why no minion fits: `0/N minions available: ` then, in predicate order, how many minions
    /// failed on each predicate first (`1 not ready, 2 hostPort 8080 in use, 3 insufficient cpu`).
    public func unschedulableReason(for request: PodRequest) -> String {
        var failures: [PredicateFailure: Int] = [:]
        var total = 0
        for slot in minions.indices where active[slot] {
            total += 1
            if let failure = Self.firstFailure(request, minions[slot]) { failures[failure, default: 0] += 1 }
        }
        return Self.reasonText(total: total, failures: failures)
    }

    /// The reason text for `total` minions of which `failures` failed (see ``unschedulableReason(for:)``).
    public static func reasonText(total: Int, failures: [PredicateFailure: Int]) -> String {
        let fitting = total - failures.values.reduce(0, +)
        guard total > 0 else { return "0/0 minions available: no minions registered" }
        let parts = failures.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        return "\(fitting)/\(total) minions available: " + parts.joined(separator: ", ")
    }
}
