import BenchSupport
import Foundation

/// Everything one run measured, as written to the JSON file.
struct Report: Codable, Sendable {
    typealias Goal = BenchGoal

    var date: String
    var command: String
    var machine: Machine
    var orcaBinary: String
    var floor: RuncFloor.Result?
    var minion: MinionPhases.Result?
    var sandbox: SandboxSteps.Result?
    var goals: [Goal] = []

    mutating func evaluateGoals() {
        goals = []
        for phase in minion?.phases ?? [] {
            let d = phase.createToRunning
            goals.append(Goal(goal: "\(phase.mode): create -> Running p50 <= 150 ms", measured: ms(d.p50Ms),
                              met: d.count == phase.pods && d.p50Ms <= 150))
            goals.append(Goal(goal: "\(phase.mode): create -> Running p99 <= 500 ms", measured: ms(d.p99Ms),
                              met: d.count == phase.pods && d.p99Ms <= 500))
            goals.append(Goal(goal: "\(phase.mode): orca minion VmRSS with \(phase.pods) pods <= 30 MB",
                              measured: format(phase.minionWithPods.rssMB, 1) + " MB",
                              met: phase.minionWithPods.rssMB <= 30))
        }
    }

    var table: String {
        var out = "orca pod startup benchmark, \(date)\n"
        out += "machine: \(machine.summary)\norca: \(orcaBinary)\ncommand: \(command)\n"
        let header = "p50 ms     p90 ms     p99 ms     max ms\n"
        if let f = floor {
            out += "\nFloor: raw `runc run -d` of the busybox image, \(f.containers) containers; \(f.gate.summary)\n"
            out += "  " + "".padding(toLength: 44, withPad: " ", startingAt: 0) + header
            out += row("\(f.rootfsKind) rootfs made, one after the other", f.rootfsMake)
            out += row("runc run -d, one after the other", f.sequential)
            out += row("runc run -d, all at once (each)", f.burst)
            out += "    all at once: first start -> last exit \(ms(f.burstMakespanMs))\n"
        }
        if let m = minion {
            out += "\nPods on one minion (\(m.viaScheduler ? "through the scheduler" : "bound at creation")), "
                + "busybox `sleep 3600`, image present\n"
            out += "  orca minion (\(m.minionIdle.command)) idle: VmRSS \(format(m.minionIdle.rssMB, 1)) MB (anonymous "
                + "\(format(m.minionIdle.anonymousMB, 1)) MB, file \(format(m.minionIdle.fileMB, 1)) MB), "
                + "\(m.minionIdle.threads) threads; orca master VmRSS \(format(m.masterIdle.rssMB, 1)) MB\n"
            for p in m.phases { out += Self.phaseTable(p, header: header) }
            if let end = m.minionEnd {
                out += "  orca minion at the end: VmRSS \(format(end.rssMB, 1)) MB, peak (VmHWM) "
                    + "\(format(end.peakMB, 1)) MB\n"
            }
        }
        if let s = sandbox {
            out += "\nThe kubelet's CNI step alone (PodNetwork.setUp), \(s.sandboxes) sandboxes; \(s.gate.summary)\n"
            out += "  " + "".padding(toLength: 44, withPad: " ", startingAt: 0) + header
            out += row("setUp, one after the other", s.sequential)
            out += row("setUp, all at once (each)", s.burst)
            out += row("tearDown, one after the other", s.tearDown)
            out += "    all at once: first start -> last end \(ms(s.burstMakespanMs))\n"
        }
        out += breakdown
        out += "\nGoals (issue 4)\n"
        for goal in goals { out += "    [\(goal.met ? "met" : "NOT MET")] \(goal.goal): \(goal.measured)\n" }
        return out
    }

    private static func phaseTable(_ p: MinionPhases.Phase, header: String) -> String {
        let how = p.mode == "sequential" ? "each created once the one before is Running" : "all created at once"
        var out = "\n  \(p.mode): \(p.pods) pods, \(how); \(p.gate.summary)\n"
        out += "  " + "".padding(toLength: 44, withPad: " ", startingAt: 0) + header
        out += row("create -> Running (watch)", p.createToRunning)
        out += row("create request (POST round trip)", p.createRequest)
        out += row("create -> ADDED (watch)", p.createToAdded)
        out += "    first create -> last Running \(ms(p.makespanMs))\n"
        out += "    CPU per pod: minion \(format(p.minionCPUMsPerPod, 1)) ms, its children (runc, CNI, ip) "
            + "\(format(p.minionChildrenCPUMsPerPod, 1)) ms, master \(format(p.masterCPUMsPerPod, 1)) ms\n"
        out += "    orca minion with \(p.pods) pods: VmRSS \(format(p.minionWithPods.rssMB, 1)) MB (anonymous "
            + "\(format(p.minionWithPods.anonymousMB, 1)) MB, file \(format(p.minionWithPods.fileMB, 1)) MB), "
            + "\(p.minionWithPods.threads) threads\n"
        if p.leftovers.isEmpty {
            out += "    delete -> every trace removed \(format(p.cleanupSeconds, 1)) s\n"
        } else {
            out += "    delete: \(p.leftovers.count) TRACES LEFT after \(format(p.cleanupSeconds, 0)) s, e.g. "
                + "\(p.leftovers.first.map { String($0.prefix(100)) } ?? "")\n"
        }
        return out
    }

    /// Where the median sequential pod's time goes: the steps measured alone, and the rest.
    private var breakdown: String {
        guard let f = floor, let s = sandbox,
              let sequential = minion?.phases.first(where: { $0.mode == "sequential" }) else { return "" }
        let steps = s.sequential.p50Ms + f.rootfsMake.p50Ms + f.sequential.p50Ms
        var out = "\nWhere a sequential pod's time goes (medians; the steps measured alone above)\n"
        out += "    CNI sandbox (ip netns add, loopback, bridge)   \(pad(ms(s.sequential.p50Ms), 10))\n"
        out += "    overlay rootfs                                 \(pad(ms(f.rootfsMake.p50Ms), 10))\n"
        out += "    runc run -d                                    \(pad(ms(f.sequential.p50Ms), 10))\n"
        out += "    sum of the steps                               \(pad(ms(steps), 10))\n"
        out += "    create -> Running                              \(pad(ms(sequential.createToRunning.p50Ms), 10))\n"
        out += "    rest: API, watches, kubelet, status write      "
            + "\(pad(ms(sequential.createToRunning.p50Ms - steps), 10))\n"
        out += "      of which create -> ADDED seen by a watch     \(pad(ms(sequential.createToAdded.p50Ms), 10))\n"
        return out
    }

    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path))
    }
}

private func row(_ name: String, _ d: Distribution) -> String {
    "    " + name.padding(toLength: 42, withPad: " ", startingAt: 0)
        + [d.p50Ms, d.p90Ms, d.p99Ms, d.maxMs].map { pad(format($0, 1), 11) }.joined() + "\n"
}

func format(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }
func ms(_ value: Double) -> String { format(value, 1) + " ms" }
func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}
