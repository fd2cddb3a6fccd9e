import BenchSupport
import Foundation

/// Everything one run measured, as written to the JSON file.
struct Report: Codable, Sendable {
    typealias Goal = BenchGoal

    var date: String
    var command: String
    var machine: Machine
    var orcaBinary: String
    var throughput: Throughput.Result?
    var minionLoss: MinionLoss.Result?
    var goals: [Goal] = []

    mutating func evaluateGoals() {
        goals = []
        if let t = throughput {
            let complete = !t.timedOut && t.allBoundSeconds != nil
            goals.append(Goal(
                goal: "pods/s, first RC created -> last pod bound, >= 1,000 (\(t.pods) pods, \(t.minions) minions)",
                measured: format(t.boundPerSecond, 0) + (complete ? "" : " (incomplete: \(t.seen.bound) bound)"),
                met: complete && t.boundPerSecond >= 1_000))
            goals.append(Goal(goal: "master RSS at the end <= 600 MB",
                              measured: format(t.masterEnd.rssMB, 0) + " MB (peak \(format(t.masterEnd.peakMB, 0)) MB)",
                              met: t.masterEnd.rssMB <= 600))
        }
        if let loss = minionLoss {
            let worst = loss.worstSeconds
            goals.append(Goal(
                goal: "minion loss: last heartbeat -> all RC pods Running elsewhere <= 30 s (worst of "
                    + "\(loss.rounds.count))",
                measured: worst.map { format($0, 1) + " s" } ?? "not recovered",
                met: (worst ?? .infinity) <= 30))
        }
    }

    var table: String {
        var out = "orca scheduling benchmark, \(date)\n"
        out += "machine: \(machine.summary)\n"
        out += "orca: \(orcaBinary)\ncommand: \(command)\n"
        if let t = throughput { out += Self.throughputTable(t) }
        if let loss = minionLoss { out += Self.lossTable(loss) }
        out += "\nGoals\n"
        for goal in goals {
            out += "    [\(goal.met ? "met" : "NOT MET")] \(goal.goal): \(goal.measured)\n"
        }
        return out
    }

    private static func throughputTable(_ t: Throughput.Result) -> String {
        func seconds(_ value: Double?) -> String { value.map { format($0, 2) + " s" } ?? "not reached" }
        var out = "\nThroughput: \(t.rcs) RCs x \(t.replicasPerRC) = \(t.pods) pods (requests \(t.podRequests)) onto "
            + "\(t.minions) hollow minions (one process, heartbeat every \(format(t.heartbeatIntervalSeconds, 0)) s)\n"
        out += "  \(t.load.summary)\n"
        out += "  minions Ready after            \(format(t.minionsReadySeconds, 1)) s\n"
        out += "  from the first RC POST:\n"
        out += "    all RCs created              \(seconds(t.rcCreateSeconds))\n"
        out += "    all pods created (ADDED)     \(seconds(t.allCreatedSeconds))\n"
        out += "    all pods bound               \(seconds(t.allBoundSeconds))   -> "
            + "\(format(t.boundPerSecond, 0)) pods/s\n"
        out += "    all pods Running             \(seconds(t.allRunningSeconds))   -> "
            + "\(format(t.runningPerSecond, 0)) pods/s\n"
        out += "    binding rate, 10th-90th percentile of bound pods: \(format(t.steadyBoundPerSecond, 0)) pods/s\n"
        if t.timedOut { out += "    STOPPED AT THE TIME CAP\n" }
        out += "  per-pod latency (watch arrival times)   p50 ms     p90 ms     p99 ms     max ms\n"
        for (name, d) in [("created -> bound", t.createdToBound), ("bound -> Running", t.boundToRunning),
                          ("created -> Running", t.createdToRunning)] {
            out += "    " + name.padding(toLength: 36, withPad: " ", startingAt: 0)
                + [d.p50Ms, d.p90Ms, d.p99Ms, d.maxMs].map { pad(format($0, 0), 11) }.joined() + "\n"
        }
        out += "  seen: \(t.seen.added) created, \(t.seen.bound) bound, \(t.seen.running) Running, "
            + "\(t.seen.failed) Failed, \(t.seen.deleted) deleted; \(t.watchEvents) watch events; "
            + "\(t.notReadyMinionsAtEnd) minions NotReady at the end\n"
        out += "  store writes: \(t.writes) in \(format(t.phaseSeconds, 1)) s = \(format(t.writesPerSecond, 0))/s "
            + "(\(format(Double(t.writes) / Double(max(t.pods, 1)), 2)) per pod)\n"
        let c = t.cpu
        out += "  CPU over the phase (% of one core): master \(format(c.masterPercent, 0))%, hollow "
            + "\(format(c.hollowPercent, 0))%, bench \(format(c.benchPercent, 0))%, "
            + "other \(format(c.otherPercent, 0))%; "
            + "master \(format(1e6 * c.masterSeconds / Double(max(t.pods, 1)), 0)) µs/pod, hollow "
            + "\(format(1e6 * c.hollowSeconds / Double(max(t.pods, 1)), 0)) µs/pod\n"
        out += "  memory (VmRSS / VmHWM peak):  master idle \(format(t.masterIdle.rssMB, 0)) MB, at the end "
            + "\(format(t.masterEnd.rssMB, 0)) MB / \(format(t.masterEnd.peakMB, 0)) MB, "
            + "\(t.masterEnd.threads) threads; "
            + "hollow idle \(format(t.hollowIdle.rssMB, 0)) MB, at the end \(format(t.hollowEnd.rssMB, 0)) MB / "
            + "\(format(t.hollowEnd.peakMB, 0)) MB\n"
        out += "  timeline (every 5 s):   s  created    bound  running  master%  hollow%  bench%  other%  "
            + "writes/s  RSS MB\n"
        for (index, s) in t.timeline.enumerated() where index % 5 == 4 || index == t.timeline.count - 1 {
            out += "                   " + pad(format(s.seconds, 0), 5)
                + [pad("\(s.created)", 9), pad("\(s.bound)", 9), pad("\(s.running)", 9),
                   pad(format(s.cpu.masterPercent, 0), 9), pad(format(s.cpu.hollowPercent, 0), 9),
                   pad(format(s.cpu.benchPercent, 0), 8), pad(format(s.cpu.otherPercent, 0), 8),
                   pad(format(s.writesPerSecond, 0), 10), pad(format(s.masterRSSMB, 0), 8)].joined() + "\n"
        }
        out += "  exit statuses on SIGTERM: " + statuses(t.exitStatuses) + "\n"
        return out
    }

    private static func lossTable(_ loss: MinionLoss.Result) -> String {
        func cell(_ value: Double?) -> String { pad(value.map { format($0, 2) } ?? "-", 10) }
        var out = "\nMinion loss: RC of \(loss.replicas) pods on \(loss.minions) hollow minions (heartbeat every "
            + "\(format(loss.heartbeatIntervalSeconds, 0)) s); master --minion-grace \(loss.minionGraceSeconds) s, "
            + "--pod-eviction-timeout \(loss.podEvictionTimeoutSeconds) s; each lost minion alone in a process "
            + "killed with SIGKILL\n"
        out += "  \(loss.load.summary)\n"
        out += "  seconds from the minion's last heartbeat (Ready=True event seen by a watch):\n"
        out += "  minion        pods  hb->kill  NotReady    Failed   deleted  replaced     bound   Running"
            + "  (from kill)\n"
        for r in loss.rounds {
            out += "  " + r.minion.padding(toLength: 12, withPad: " ", startingAt: 0) + pad("\(r.podsOnMinion)", 6)
                + cell(r.lastHeartbeatBeforeKill) + cell(r.notReady) + cell(r.podsFailed) + cell(r.podsDeleted)
                + cell(r.replacementsCreated) + cell(r.replacementsBound) + cell(r.allRunningElsewhere)
                + cell(r.allRunningElsewhereFromKill) + (r.timedOut ? "  TIMED OUT" : "") + "\n"
            if let note = r.note { out += "    note: \(note)\n" }
        }
        out += "  master at the end: \(format(loss.masterEnd.rssMB, 0)) MB RSS; exit statuses: "
            + statuses(loss.exitStatuses) + "\n"
        return out
    }

    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path))
    }

    private static func statuses(_ statuses: [String: Int32]) -> String {
        statuses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
