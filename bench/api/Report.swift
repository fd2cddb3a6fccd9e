import BenchSupport
import Foundation

/// Everything one run measured, as written to the JSON file.
struct Report: Codable, Sendable {
    struct Memory: Codable, Sendable {
        /// Right after start: the store holds only the master's own two services.
        var idle: MemoryReading
        /// After the API load, the pods still stored, the clients idle.
        var afterLoad: MemoryReading?
        /// After the watch fan-out, the watchers gone.
        var afterWatch: MemoryReading?
    }

    typealias Goal = BenchGoal

    var date: String
    var command: String
    var machine: Machine
    var orcaBinary: String
    var masterCommand: String?
    var clients: Int
    var baseline: [SQLiteBaseline.Result] = []
    var phases: [APILoad.Phase] = []
    /// After the load: until the master's own writes stopped.
    var settle: APILoad.Settle?
    var watch: WatchFanout.Result?
    var memory: Memory?
    var masterExitStatus: Int32?
    var goals: [Goal] = []

    mutating func evaluateGoals() {
        goals = []
        let rows = phases.flatMap(\.rows)
        if let create = rows.first(where: { $0.name == "create" }) {
            goals.append(Goal(goal: "creates/s >= 2,000", measured: Self.format(create.perSecond, 0),
                              met: create.perSecond >= 2_000))
            goals.append(Goal(goal: "create p99 <= 50 ms", measured: Self.format(create.p99Ms, 1) + " ms",
                              met: create.p99Ms <= 50))
        }
        if let update = rows.first(where: { $0.name == "update (PUT)" }) {
            goals.append(Goal(goal: "update p99 <= 50 ms", measured: Self.format(update.p99Ms, 1) + " ms",
                              met: update.p99Ms <= 50))
        }
        if let watch {
            let complete = watch.connected == watch.watchers && watch.missing == 0 && watch.watcherErrors == 0
                && watch.writes > 0 && watch.writeLatency.errors == 0
            goals.append(Goal(
                goal: "watch event p99 <= 100 ms at \(watch.watchers) watchers (since the write was sent)",
                measured: Self.format(watch.sinceSent.p99Ms, 1) + " ms"
                    + (complete ? "" : " (incomplete: \(watch.connected) connected, \(watch.writes) writes, "
                        + "\(watch.writeLatency.errors) failed, \(watch.missing) events missing)"),
                met: watch.sinceSent.p99Ms <= 100 && complete))
        }
        if let memory {
            goals.append(Goal(goal: "idle RSS <= 40 MB", measured: Self.format(memory.idle.rssMB, 1) + " MB",
                              met: memory.idle.rssMB <= 40))
        }
    }

    /// The human-readable report printed on stdout.
    var table: String {
        var out = "orca API benchmark, \(date)\n"
        out += "machine: \(machine.summary)\n"
        out += "orca: \(orcaBinary)\ncommand: \(command)\n"
        if let masterCommand { out += "master: \(masterCommand)\n" }
        out += "\n"
        out += "Baseline: raw SQLite (WAL, synchronous=FULL), one thread, same filesystem\n"
        out += Self.columns(["inserts/commit", "commits/s", "writes/s", "p50 ms", "p99 ms", "max ms"])
        for b in baseline {
            out += Self.columns([
                "\(b.insertsPerCommit)", Self.format(b.commitsPerSecond, 0), Self.format(b.writesPerSecond, 0),
                Self.format(b.commitP50Ms, 2), Self.format(b.commitP99Ms, 2), Self.format(b.commitMaxMs, 2),
            ])
        }
        out += "\nAPI load: \(clients) clients in a closed loop, one keep-alive connection each; "
            + "CPU in % of one core\n"
            + "  (other = other processes, irq = interrupts and softirqs such as loopback TCP, steal = hypervisor;\n"
            + "  µs/req M and B = CPU time of the master and of the bench per request of the phase)\n"
        out += Self.columns(["request", "count", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors", "409s",
                             "CPU master", "bench", "other", "irq", "steal", "µs/req M", "µs/req B"], first: 36)
        for phase in phases {
            for (index, row) in phase.rows.enumerated() {
                out += Self.columns([
                    row.name, "\(row.requests)", Self.format(row.perSecond, 0), Self.format(row.p50Ms, 2),
                    Self.format(row.p90Ms, 2), Self.format(row.p99Ms, 2), Self.format(row.maxMs, 2), "\(row.errors)",
                    "\(row.conflicts)", index == 0 ? Self.format(phase.cpu.masterPercent, 0) + "%" : "",
                    index == 0 ? Self.format(phase.cpu.benchPercent, 0) + "%" : "",
                    index == 0 ? Self.format(phase.cpu.otherPercent, 0) + "%" : "",
                    index == 0 ? Self.format(phase.cpu.interruptPercent, 0) + "%" : "",
                    index == 0 ? Self.format(phase.cpu.stealPercent, 0) + "%" : "",
                    index == 0 ? Self.format(phase.masterMicrosecondsPerRequest, 0) : "",
                    index == 0 ? Self.format(phase.benchMicrosecondsPerRequest, 0) : "",
                ], first: 36)
                if let error = row.firstError { out += "    first error (\(row.errors) in all): \(error)\n" }
            }
            out += "    \(phase.name): the store's revision moved by \(phase.storeRevisions)\n"
            if phase.stoppedAtTimeCap { out += "    (\(phase.name) stopped at the time cap)\n" }
        }
        if let s = settle {
            out += "\nAfter the load the master wrote \(s.storeRevisions) more revisions for "
                + "\(Self.format(s.seconds, 1)) s"
                + (s.settled ? "" : " (still writing at the 300 s cap)")
                + "; CPU meanwhile: master \(Self.format(s.cpu.masterPercent, 0))%, "
                + "other processes \(Self.format(s.cpu.otherPercent, 0))%\n"
        }
        if let w = watch {
            out += "\nWatch fan-out: \(w.watchers) watchers (\(w.connected) streaming after "
                + "\(Self.format(w.connectSeconds, 1)) s), \(w.writes) updates every \(w.intervalMs) ms; "
                + "\(w.delivered) of \(w.expectedDeliveries) events delivered, \(w.watcherErrors) watcher errors\n"
            if let error = w.firstWatcherError { out += "    first watcher error: \(error)\n" }
            out += Self.columns(["latency", "count", "p50 ms", "p90 ms", "p99 ms", "max ms"], first: 36)
            for row in [w.sinceResponse, w.sinceSent, w.writeLatency] {
                out += Self.columns([row.name, "\(row.requests)", Self.format(row.p50Ms, 2), Self.format(row.p90Ms, 2),
                                     Self.format(row.p99Ms, 2), Self.format(row.maxMs, 2)], first: 36)
                if let error = row.firstError { out += "    first error (\(row.errors) in all): \(error)\n" }
            }
            out += "    CPU during fan-out (% of one core): master \(Self.format(w.cpu.masterPercent, 0))%, "
                + "bench \(Self.format(w.cpu.benchPercent, 0))%, "
                + "other processes \(Self.format(w.cpu.otherPercent, 0))%, "
                + "irq \(Self.format(w.cpu.interruptPercent, 0))%, steal \(Self.format(w.cpu.stealPercent, 0))%; "
                + "master CPU per delivered event \(Self.format(w.masterMicrosecondsPerDelivery, 0)) µs\n"
        }
        if let m = memory {
            out += "\nMaster memory (VmRSS; VmHWM = peak)\n"
            func line(_ label: String, _ r: MemoryReading) -> String {
                "    \(label): \(Self.format(r.rssMB, 1)) MB (\(Self.format(r.anonymousMB, 1)) MB heap and stacks, "
                    + "\(Self.format(r.fileMB, 1)) MB binary and libraries), \(r.threads) threads\n"
            }
            out += line("idle after start", m.idle)
            if let r = m.afterLoad { out += line("after the API load", r) }
            if let r = m.afterWatch {
                out += line("after the watch fan-out", r) + "    peak (VmHWM): \(Self.format(r.peakMB, 1)) MB\n"
            }
        }
        if let status = masterExitStatus { out += "    master exit status on SIGTERM: \(status)\n" }
        out += "\nGoals\n"
        for goal in goals {
            out += "    [\(goal.met ? "met" : "NOT MET")] \(goal.goal): \(goal.measured)\n"
        }
        return out
    }

    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path))
    }

    static func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }

    private static func columns(_ values: [String], first: Int = 16) -> String {
        var line = "  "
        for (index, value) in values.enumerated() {
            let width = index == 0 ? first : 11
            line += index == 0 ? value.padding(toLength: max(width, value.count), withPad: " ", startingAt: 0)
                : String(repeating: " ", count: max(0, width - value.count)) + value
        }
        return line + "\n"
    }
}
