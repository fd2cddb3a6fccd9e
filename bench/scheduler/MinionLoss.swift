import BenchSupport
import AsyncHTTPClient
import Foundation
import OrcaAPI
import OrcaClient
import Synchronization

/// The minion-loss scenario: an RC's pods run on `lossMinions` hollow minions; one minion, alone
/// in its own `orca hollow` process, is killed (SIGKILL, as a host that dies), and the benchmark
/// times how long until all the RC's pods are Running on the other minions. `lossRounds` minions
/// are lost one after the other, each round starting once the previous one has recovered.
struct MinionLoss {
    struct Round: Codable, Sendable {
        var minion: String
        /// Pods of the RC on the minion when it was killed.
        var podsOnMinion: Int
        /// Seconds from the minion's last heartbeat (its last Ready=True event seen by the watch) to the kill.
        var lastHeartbeatBeforeKill: Double?
        /// Milestones in seconds from the last heartbeat.
        var notReady: Double?
        var podsFailed: Double?
        var podsDeleted: Double?
        var replacementsCreated: Double?
        var replacementsBound: Double?
        /// All `replicas` pods Running on other minions: the figure the goal is about.
        var allRunningElsewhere: Double?
        /// The same, from the kill.
        var allRunningElsewhereFromKill: Double?
        var timedOut: Bool
        var note: String?
    }

    struct Result: Codable, Sendable {
        var minions: Int
        var replicas: Int
        var heartbeatIntervalSeconds: Double
        var minionGraceSeconds: Int
        var podEvictionTimeoutSeconds: Int
        var load: LoadGate
        var masterArguments: [String]
        var rounds: [Round]
        var masterEnd: ProcessReading
        var exitStatuses: [String: Int32]

        /// The slowest round's recovery (nil when a round did not recover).
        var worstSeconds: Double? {
            let values = rounds.map(\.allRunningElsewhere)
            guard !values.isEmpty, !values.contains(where: { $0 == nil }) else { return nil }
            return values.compactMap { $0 }.max()
        }
    }

    let options: Options
    let orca: String
    let directory: URL
    let client: HTTPClient
    let log: @Sendable (String) -> Void

    static let namespace = "bench-loss"

    func run() async throws -> Result {
        let load = await LoadGate.wait(maxLoad: options.maxLoad, limit: options.loadWaitSeconds, log: log)
        log(load.summary)
        let cluster = try await Cluster.start(orca: orca, directory: directory, client: client,
                                              logLevel: options.masterLogLevel,
                                              extraArguments: options.masterArguments)
        do {
            return try await measure(cluster, load: load)
        } catch {
            await cluster.stop()
            throw BenchError("\(error)\nmaster log ends:\n\(cluster.logTail())")
        }
    }

    private func measure(_ cluster: Cluster, load: LoadGate) async throws -> Result {
        let live = options.lossMinions - options.lossRounds
        let interval = options.lossHeartbeatInterval
        try cluster.startHollow(name: "hollow-live", count: live, prefix: "live-", heartbeatInterval: interval,
                                firstHostIP: "10.245.128.1", logLevel: options.masterLogLevel)
        var lost: [(name: String, process: ChildProcess)] = []
        for round in 0..<options.lossRounds {
            let process = try cluster.startHollow(
                name: "hollow-lost-r\(round)", count: 1, prefix: "lost-r\(round)-", heartbeatInterval: interval,
                firstHostIP: "10.245.200.\(round + 1)", logLevel: options.masterLogLevel)
            lost.append(("lost-r\(round)-0", process))
        }
        let ready = try await cluster.waitForReadyMinions(options.lossMinions, limit: options.readyTimeoutSeconds)
        log("\(options.lossMinions) minions Ready after \(format(ready, 1)) s (\(live) in one process, "
            + "\(options.lossRounds) alone)")

        let revision = try await cluster.http.revision()
        let pods = PodTracker()
        let nodes = NodeTracker()
        let podWatch = WatchStream<PodFields>(http: client,
                                              url: cluster.url + "/api/v1/namespaces/\(Self.namespace)/pods")
        let nodeWatch = WatchStream<NodeFields>(http: client, url: cluster.url + "/api/v1/nodes")
        let podTask = Task { try await podWatch.run(from: String(revision)) { pods.apply($0, $1, at: $2) } }
        let nodeTask = Task { try await nodeWatch.run(from: String(revision)) { nodes.apply($1, at: $2) } }
        defer {
            podTask.cancel()
            nodeTask.cancel()
        }
        try await Task.sleep(for: .milliseconds(300))

        let replicas = options.lossReplicas
        let api = OrcaClient(baseURL: cluster.url, httpClient: client)
        let spec = PodSpec(containers: [Container(name: "pause", image: "registry.k8s.io/pause:3.9")],
                           restartPolicy: .always)
        _ = try await api.create(Throughput.rc("loss", replicas: replicas, template: spec, namespace: Self.namespace))
        let startDeadline = Nanos.now() + 60_000_000_000
        while Self.running(pods.pods, except: nil) < replicas {
            guard Nanos.now() < startDeadline else {
                throw BenchError("the RC's \(replicas) pods were not Running within 60 s")
            }
            try cluster.checkAlive()
            try await Task.sleep(for: .milliseconds(100))
        }
        log("RC of \(replicas) pods Running")

        var rounds: [Round] = []
        var killed: Set<Int32> = []
        for (minion, process) in lost {
            // Let the heartbeats of the remaining minions and the watches settle.
            try await Task.sleep(for: .seconds(2))
            let round = try await lose(minion: minion, process: process, cluster: cluster, pods: pods, nodes: nodes,
                                       killed: &killed)
            rounds.append(round)
            log("lost \(minion) (\(round.podsOnMinion) pods): all \(replicas) Running elsewhere "
                + (round.allRunningElsewhere.map { "\(format($0, 1)) s after its last heartbeat" } ?? "NOT reached")
                + (round.allRunningElsewhereFromKill.map { ", \(format($0, 1)) s after the kill" } ?? ""))
        }
        let masterEnd = cluster.master.reading()
        podTask.cancel()
        nodeTask.cancel()
        let statuses = await cluster.stop()
        return Result(
            minions: options.lossMinions, replicas: replicas, heartbeatIntervalSeconds: interval,
            minionGraceSeconds: options.minionGrace ?? 15, podEvictionTimeoutSeconds: options.podEvictionTimeout ?? 10,
            load: load, masterArguments: cluster.master.arguments, rounds: rounds, masterEnd: masterEnd,
            exitStatuses: statuses)
    }

    /// Kills `process` (hosting `minion` alone) and waits until the RC's pods all run elsewhere and the
    /// lost pods are deleted, at most `lossTimeoutSeconds`.
    private func lose(minion: String, process: ChildProcess, cluster: Cluster, pods: PodTracker, nodes: NodeTracker,
                      killed: inout Set<Int32>) async throws -> Round {
        let replicas = options.lossReplicas
        let before = pods.pods
        let onMinion = Set(before.filter { $0.value.node == minion && $0.value.deleted == 0 }.keys)
        var round = Round(minion: minion, podsOnMinion: onMinion.count, timedOut: false)
        if onMinion.isEmpty { round.note = "no pod of the RC ran on the minion; the round measures nothing" }

        // The last heartbeat is the reference: make sure the node watch has seen one.
        let seenBy = Nanos.now() + Nanos.from(seconds: 2 * options.lossHeartbeatInterval + 10)
        while nodes.lastReady(minion) == nil && Nanos.now() < seenBy {
            try cluster.checkAlive(except: killed)
            try await Task.sleep(for: .milliseconds(50))
        }
        let kill = Nanos.now()
        await process.killNow()
        killed.insert(process.pid)
        log("killed \(minion) (pid \(process.pid), SIGKILL) with \(onMinion.count) pods on it")

        let deadline = kill + Nanos.from(seconds: options.lossTimeoutSeconds)
        var runningAt: UInt64 = 0
        var deletedAt: UInt64 = 0
        while Nanos.now() < deadline {
            try cluster.checkAlive(except: killed)
            let now = pods.pods
            if runningAt == 0 && Self.running(now, except: minion) >= replicas { runningAt = Nanos.now() }
            if deletedAt == 0 && onMinion.allSatisfy({ (now[$0]?.deleted ?? 0) > 0 }) { deletedAt = Nanos.now() }
            if runningAt > 0 && deletedAt > 0 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let now = pods.pods
        round.timedOut = runningAt == 0 || deletedAt == 0
        guard let heartbeat = nodes.lastReady(minion) else {
            round.note = "no heartbeat of \(minion) was seen"
            return round
        }
        round.lastHeartbeatBeforeKill = Nanos.seconds(kill - min(kill, heartbeat))
        func since(_ time: UInt64?) -> Double? {
            guard let time, time > 0 else { return nil }
            return (Double(time) - Double(heartbeat)) / 1e9
        }
        round.notReady = since(nodes.notReadySince(minion))
        let lostTimes = onMinion.compactMap { now[$0] }
        if !lostTimes.isEmpty {
            if lostTimes.allSatisfy({ $0.failed > 0 }) { round.podsFailed = since(lostTimes.map(\.failed).max()) }
            if lostTimes.allSatisfy({ $0.deleted > 0 }) { round.podsDeleted = since(lostTimes.map(\.deleted).max()) }
        }
        let replacements = now.filter { before[$0.key] == nil }.map(\.value)
        if replacements.count >= onMinion.count && !onMinion.isEmpty {
            let created = replacements.map(\.added).sorted()
            round.replacementsCreated = since(created[onMinion.count - 1])
            let bound = replacements.map(\.bound).filter { $0 > 0 }.sorted()
            if bound.count >= onMinion.count { round.replacementsBound = since(bound[onMinion.count - 1]) }
        }
        // The watch's arrival time of the last Running event, not the poll's.
        if runningAt > 0 {
            let lastRunning = now.values.filter { $0.deleted == 0 && $0.node != minion && $0.phase == "Running" }
                .map(\.running).max() ?? runningAt
            round.allRunningElsewhere = since(lastRunning)
            round.allRunningElsewhereFromKill = (Double(lastRunning) - Double(kill)) / 1e9
        }
        return round
    }

    /// Live pods Running on a minion other than `minion`.
    static func running(_ pods: [String: PodTracker.PodTimes], except minion: String?) -> Int {
        pods.values.count { $0.deleted == 0 && $0.phase == "Running" && $0.node != minion }
    }
}

/// Per minion: when the watch last saw it Ready (a heartbeat), and since when it is not Ready.
final class NodeTracker: Sendable {
    private struct Entry {
        var lastReady: UInt64 = 0
        var notReadySince: UInt64 = 0
    }

    private let state = Mutex([String: Entry]())

    func apply(_ node: NodeFields, at time: UInt64) {
        guard let name = node.metadata?.name else { return }
        state.withLock { entries in
            var entry = entries[name] ?? Entry()
            if node.isReady {
                entry.lastReady = time
                entry.notReadySince = 0
            } else if entry.notReadySince == 0 {
                entry.notReadySince = time
            }
            entries[name] = entry
        }
    }

    func lastReady(_ name: String) -> UInt64? {
        state.withLock { $0[name].flatMap { $0.lastReady > 0 ? $0.lastReady : nil } }
    }

    func notReadySince(_ name: String) -> UInt64? {
        state.withLock { $0[name].flatMap { $0.notReadySince > 0 ? $0.notReadySince : nil } }
    }
}
