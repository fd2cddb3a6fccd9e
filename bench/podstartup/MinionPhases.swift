import BenchSupport
import Foundation
import OrcaAPI
import OrcaClient
import OrcaTesting
import Synchronization

/// Pods on one real minion (``MinionFixture``: the release `orca master` and `orca minion`, the
/// busybox image preloaded): created one after the other, then all at once, each timed from its
/// create request to the first watch event that shows it Running.
struct MinionPhases {
    /// One way of creating the pods.
    struct Phase: Codable, Sendable {
        var mode: String
        var pods: Int
        var gate: LoadGate
        /// Create request sent -> Running seen by the watch: the issue's figure (Kubernetes' SLI).
        var createToRunning: Distribution
        /// The create request's round trip.
        var createRequest: Distribution
        /// Create request sent -> ADDED seen by the watch (API write and watch delivery alone).
        var createToAdded: Distribution
        /// First create sent -> last pod seen Running.
        var makespanMs: Double
        /// CPU milliseconds per pod over the phase: the minion itself, its reaped children (runc, CNI
        /// plugins, ip) and the master.
        var minionCPUMsPerPod: Double
        var minionChildrenCPUMsPerPod: Double
        var masterCPUMsPerPod: Double
        /// The minion with every pod of the phase running (after the settle pause).
        var minionWithPods: ProcessReading
        /// Deleting every pod -> the kubelet removed every trace (or the limit, with ``leftovers``).
        var cleanupSeconds: Double
        /// What the kubelet had not removed when the cleanup wait ran out (``MinionFixture/leftovers()``).
        var leftovers: [String]
        /// create -> Running per pod in creation order, milliseconds.
        var samplesMs: [Double]
        /// Each pod's times in CLOCK_MONOTONIC nanoseconds (to line up with `perf record -k CLOCK_MONOTONIC`).
        var timeline: [PodTimes]
    }

    struct PodTimes: Codable, Sendable {
        var name: String
        var createSent: UInt64?
        var createAnswered: UInt64?
        var added: UInt64?
        var running: UInt64?
    }

    struct Result: Codable, Sendable {
        var viaScheduler: Bool
        var minionPID: Int32
        var minionIdle: ProcessReading
        var masterIdle: ProcessReading
        var phases: [Phase] = []
        var minionEnd: ProcessReading?
        var masterEnd: ProcessReading?
    }

    let options: Options
    let log: @Sendable (String) -> Void

    func run() async throws -> Result {
        let directory = FixtureDirectory()
        do {
            let result = try await measureAll(directory)
            await sweep(directory)
            return result
        } catch {
            await sweep(directory)
            throw error
        }
    }

    private func sweep(_ directory: FixtureDirectory) async {
        guard let path = directory.path.withLock({ $0 }) else { return }
        let swept = await Mounts.sweep(under: path)
        if swept > 0 { log("unmounted \(swept) mounts the minion and the fixture left under \(path)") }
    }

    private func measureAll(_ directory: FixtureDirectory) async throws -> Result {
        try await MinionFixture.with { fixture in
            directory.path.withLock { $0 = fixture.directory.path }
            guard let minion = fixture.minion?.pid else { throw BenchError("the minion is not running") }
            let master = fixture.master.daemon.pid
            // `orca minion` execs orca-minion in the same process: the executable shows which one is measured.
            let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(minion)/exe")) ?? "?"
            log("minion \(fixture.nodeName) Ready (pid \(minion), \(executable)); settling \(options.settleSeconds) s")
            try await Task.sleep(for: .seconds(options.settleSeconds))
            var result = Result(viaScheduler: options.viaScheduler, minionPID: minion,
                                minionIdle: ProcessReading.of(minion), masterIdle: ProcessReading.of(master))
            log("minion idle: VmRSS \(String(format: "%.1f", result.minionIdle.rssMB)) MB")
            for mode in options.phases where mode == .sequential || mode == .burst {
                let phase = try await measure(mode, fixture, minion: minion, master: master)
                let p50 = String(format: "%.0f", phase.createToRunning.p50Ms)
                log("\(mode.rawValue): create -> Running p50 \(p50) ms, "
                    + "p99 \(String(format: "%.0f", phase.createToRunning.p99Ms)) ms; minion VmRSS with "
                    + "\(phase.pods) pods \(String(format: "%.1f", phase.minionWithPods.rssMB)) MB")
                result.phases.append(phase)
            }
            result.minionEnd = ProcessReading.of(minion)
            result.masterEnd = ProcessReading.of(master)
            return result
        }
    }

    private func measure(_ mode: Options.Phase, _ fixture: MinionFixture, minion: Int32,
                         master: Int32) async throws -> Phase {
        let gate = await LoadGate.wait(maxLoad: options.maxLoad, limit: options.loadWaitSeconds, log: log)
        log("\(mode.rawValue): \(options.pods) pods, \(gate.summary)")
        let names = (0..<options.pods).map { "\(mode.rawValue.prefix(3))-\($0)" }
        let tracker = PodTracker()
        let version = try await fixture.client.list(Pod.self, namespace: "default").metadata.resourceVersion
        let minionBefore = ProcessReading.of(minion)
        let masterBefore = ProcessReading.of(master)
        let deadline = Nanos.now() + UInt64(options.timeoutSeconds * 1e9)
        let started = Nanos.now()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await tracker.watch(fixture.client, namespace: "default", from: version) }
            // The watch is open before the first create (its request is on the wire; the events of
            // a create can only come after it).
            try await Task.sleep(for: .milliseconds(200))
            if mode == .sequential {
                for name in names {
                    try await create(name, fixture, tracker)
                    try await tracker.waitRunning([name], until: deadline) { String(fixture.minionLog.suffix(3000)) }
                }
            } else {
                try await withThrowingTaskGroup(of: Void.self) { creates in
                    for name in names { creates.addTask { try await create(name, fixture, tracker) } }
                    try await creates.waitForAll()
                }
                try await tracker.waitRunning(names, until: deadline) { String(fixture.minionLog.suffix(3000)) }
            }
            group.cancelAll()
        }
        let minionAfter = ProcessReading.of(minion)
        let masterAfter = ProcessReading.of(master)
        let times = tracker.snapshot()
        let lastRunning = names.compactMap { times[$0]?.running }.max() ?? started
        try await Task.sleep(for: .seconds(options.settleSeconds))
        let withPods = ProcessReading.of(minion)
        let (cleanup, leftovers) = try await deleteAll(names, fixture)
        func spans(_ from: KeyPath<PodTracker.Times, UInt64?>, _ to: KeyPath<PodTracker.Times, UInt64?>) -> [UInt64] {
            names.compactMap { name in
                guard let entry = times[name], let a = entry[keyPath: from], let b = entry[keyPath: to], b >= a else {
                    return nil
                }
                return b - a
            }
        }
        let running = spans(\.createSent, \.running)
        let pods = Double(names.count)
        return Phase(
            mode: mode.rawValue, pods: names.count, gate: gate,
            createToRunning: Distribution(nanos: running),
            createRequest: Distribution(nanos: spans(\.createSent, \.createAnswered)),
            createToAdded: Distribution(nanos: spans(\.createSent, \.added)),
            makespanMs: Nanos.milliseconds(lastRunning - started),
            minionCPUMsPerPod: (minionAfter.cpuSeconds - minionBefore.cpuSeconds) * 1000 / pods,
            minionChildrenCPUMsPerPod: (minionAfter.childrenCPUSeconds - minionBefore.childrenCPUSeconds) * 1000 / pods,
            masterCPUMsPerPod: (masterAfter.cpuSeconds - masterBefore.cpuSeconds) * 1000 / pods,
            minionWithPods: withPods, cleanupSeconds: cleanup, leftovers: leftovers,
            samplesMs: running.map { Nanos.milliseconds($0) },
            timeline: names.map { name in
                let entry = times[name]
                return PodTimes(name: name, createSent: entry?.createSent, createAnswered: entry?.createAnswered,
                                added: entry?.added, running: entry?.running)
            })
    }

    /// A busybox pod sleeping an hour, bound to the minion at creation (or left to the scheduler).
    private func create(_ name: String, _ fixture: MinionFixture, _ tracker: PodTracker) async throws {
        let pod = MinionFixture.pod(name, containers: [(name: "sleep", script: "sleep 3600")])
        tracker.sent(name)
        if options.viaScheduler {
            _ = try await fixture.client.create(pod)
        } else {
            _ = try await fixture.run(pod)
        }
        tracker.answered(name)
    }

    /// Deletes the pods and waits until the kubelet removed every trace of them (at most 30 s): the
    /// seconds it took, and what was left when the wait ran out.
    private func deleteAll(_ names: [String], _ fixture: MinionFixture) async throws -> (Double, [String]) {
        let start = Nanos.now()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for name in names { group.addTask { try await fixture.client.delete(Pod.self, name: name) } }
            try await group.waitForAll()
        }
        do {
            try await fixture.eventually("the minion removes the pods", limit: .seconds(30)) {
                let left = try await fixture.client.list(Pod.self, namespace: "default").items.count
                guard left == 0 else { return false }
                return await fixture.leftovers().isEmpty
            }
            return (Nanos.seconds(Nanos.now() - start), [])
        } catch {
            let left = await fixture.leftovers()
            log("the minion left \(left.count) traces of the deleted pods after 30 s: "
                + left.prefix(3).map { String($0.prefix(160)) }.joined(separator: "; "))
            return (Nanos.seconds(Nanos.now() - start), left)
        }
    }
}

/// The fixture's temp directory, known once it has started (for the final sweep).
final class FixtureDirectory: Sendable {
    let path = Mutex<String?>(nil)
}
