import BenchSupport
import AsyncHTTPClient
import Foundation
import Glibc
import OrcaAPI
import OrcaClient

/// The throughput scenario: `rcs` x `replicas` pods from replication controllers onto `minions`
/// hollow minions, end to end (API server, SQLite, replication manager, scheduler, hollow minions).
struct Throughput {
    struct Result: Codable, Sendable {
        var minions: Int
        var rcs: Int
        var replicasPerRC: Int
        var pods: Int
        var heartbeatIntervalSeconds: Double
        var podRequests: String
        var load: LoadGate
        var masterArguments: [String]
        var hollowArguments: [String]
        var masterPid: Int32
        var hollowPid: Int32
        var minionsReadySeconds: Double
        /// POSTs of every RC, from the first sent to the last answered.
        var rcCreateSeconds: Double
        /// From the first RC POST to the last pod's ADDED / first bound / first Running event.
        var allCreatedSeconds: Double?
        var allBoundSeconds: Double?
        var allRunningSeconds: Double?
        /// pods / allBoundSeconds and pods / allRunningSeconds.
        var boundPerSecond: Double
        var runningPerSecond: Double
        /// The binding rate between the 10th and the 90th percentile of bound pods (no ramp-up, no tail).
        var steadyBoundPerSecond: Double
        /// Per pod: ADDED -> bound, ADDED -> Running, bound -> Running (watch arrival times).
        var createdToBound: Distribution
        var createdToRunning: Distribution
        var boundToRunning: Distribution
        var seen: PodTracker.Counts
        var timedOut: Bool
        var notReadyMinionsAtEnd: Int
        var masterIdle: ProcessReading
        var masterEnd: ProcessReading
        var hollowIdle: ProcessReading
        var hollowEnd: ProcessReading
        /// From the first RC POST to the last pod Running (or the time cap).
        var cpu: CPUShare
        var phaseSeconds: Double
        /// Store writes (revision increments) during the phase, and their rate.
        var writes: Int64
        var writesPerSecond: Double
        var watchEvents: Int
        var timeline: [Sample]
        var exitStatuses: [String: Int32]
    }

    /// Counters each second of the phase.
    struct Sample: Codable, Sendable {
        var seconds: Double
        var created: Int
        var bound: Int
        var running: Int
        var cpu: CPUShare
        var masterRSSMB: Double
        var revision: Int64
        var writesPerSecond: Double
    }

    let options: Options
    let orca: String
    let directory: URL
    let client: HTTPClient
    let log: @Sendable (String) -> Void

    static let namespace = "bench-sched"

    func run() async throws -> Result {
        let load = await LoadGate.wait(maxLoad: options.maxLoad, limit: options.loadWaitSeconds, log: log)
        log(load.summary)
        let cluster = try await Cluster.start(orca: orca, directory: directory, client: client,
                                              logLevel: options.masterLogLevel,
                                              extraArguments: options.masterArguments)
        do {
            let result = try await measure(cluster, load: load)
            return result
        } catch {
            let hollowLog = cluster.hollows.first.map { cluster.logTail($0) } ?? ""
            await cluster.stop()
            throw BenchError("\(error)\nmaster log ends:\n\(cluster.logTail())\nhollow log ends:\n\(hollowLog)")
        }
    }

    private func measure(_ cluster: Cluster, load: LoadGate) async throws -> Result {
        let http = cluster.http
        log("master pid \(cluster.master.pid) at \(cluster.url); starting \(options.minions) hollow minions")
        let hollow = try cluster.startHollow(
            name: "hollow", count: options.minions, prefix: "hollow-", heartbeatInterval: options.heartbeatInterval,
            firstHostIP: "10.245.128.1", logLevel: options.masterLogLevel)
        let readySeconds = try await cluster.waitForReadyMinions(options.minions, limit: options.readyTimeoutSeconds)
        log("\(options.minions) minions Ready after \(format(readySeconds, 1)) s; settling 3 s")
        try await Task.sleep(for: .seconds(3))
        let masterIdle = cluster.master.reading()
        let hollowIdle = hollow.reading()

        let total = options.pods
        let tracker = PodTracker(expected: total)
        let startRevision = try await http.revision()
        let watch = WatchStream<PodFields>(
            http: client, url: cluster.url + "/api/v1/namespaces/\(Self.namespace)/pods")
        let watchTask = Task {
            try await watch.run(from: String(startRevision)) { type, pod, at in tracker.apply(type, pod, at: at) }
        }
        defer { watchTask.cancel() }
        // The watch is registered once its request is served; give it a moment before the first write.
        try await Task.sleep(for: .milliseconds(300))

        var perf: ChildProcess?
        if let output = options.perfOutput {
            perf = try ChildProcess.start(
                name: "perf", binary: "/usr/bin/env",
                arguments: ["perf", "record", "-e", "cpu-clock", "-F", "99", "-g", "-a", "-o", output],
                logPath: directory.appendingPathComponent("perf.log").path)
            try await Task.sleep(for: .milliseconds(500))
        }
        let startMark = CPUShare.Mark(master: cluster.master.pid, hollows: [hollow.pid])
        let start = Nanos.now()
        let sampler = Sampler(start: start, startRevision: startRevision, startMark: startMark, cluster: cluster,
                              hollow: hollow, tracker: tracker)
        let samplerTask = Task { await sampler.run() }
        defer { samplerTask.cancel() }

        log("creating \(options.rcs) RCs x \(options.replicas) replicas = \(total) pods")
        try await createRCs(url: cluster.url)
        let rcsDone = Nanos.now()
        log("RCs created in \(format(Nanos.seconds(rcsDone - start), 2)) s; waiting for \(total) pods Running "
            + "(at most \(Int(options.timeoutSeconds)) s)")

        let deadline = start + Nanos.from(seconds: options.timeoutSeconds)
        var lastLog = Nanos.now()
        var timedOut = false
        while tracker.counts.running < total {
            if Nanos.now() >= deadline {
                timedOut = true
                break
            }
            if watchTask.isCancelled { break }
            try cluster.checkAlive()
            try await Task.sleep(for: .milliseconds(100))
            if Nanos.now() - lastLog >= 5_000_000_000 {
                lastLog = Nanos.now()
                let c = tracker.counts
                log("\(format(Nanos.seconds(lastLog - start), 0)) s: created \(c.added), bound \(c.bound), "
                    + "running \(c.running)")
            }
        }
        let end = Nanos.now()
        let endMark = CPUShare.Mark(master: cluster.master.pid, hollows: [hollow.pid])
        let masterEnd = cluster.master.reading()
        let hollowEnd = hollow.reading()
        let endRevision = (try? await http.revision()) ?? startRevision
        samplerTask.cancel()
        if let perf {
            log("perf record exited with status \(await perf.stop(grace: 120)) "
                + "(\(options.perfOutput ?? ""))")
        }
        watchTask.cancel()
        let timeline = await sampler.samples
        let notReady = ((try? await http.nodes()) ?? []).count { !$0.isReady }
        let counts = tracker.counts
        if timedOut {
            log("TIME CAP: \(counts.added) created, \(counts.bound) bound, \(counts.running) Running of \(total)")
        }

        log("stopping the hollow minions and the master")
        let statuses = await cluster.stop()

        let pods = tracker.pods
        var toBound: [UInt64] = []
        var toRunning: [UInt64] = []
        var boundToRunning: [UInt64] = []
        var boundTimes: [UInt64] = []
        toBound.reserveCapacity(pods.count)
        for times in pods.values {
            if times.bound > 0 {
                toBound.append(times.bound - min(times.bound, times.added))
                boundTimes.append(times.bound)
            }
            if times.running > 0 { toRunning.append(times.running - min(times.running, times.added)) }
            if times.running > 0 && times.bound > 0 {
                boundToRunning.append(times.running - min(times.running, times.bound))
            }
        }
        boundTimes.sort()
        var steady = 0.0
        if boundTimes.count >= 10 {
            let low = boundTimes[boundTimes.count / 10]
            let high = boundTimes[boundTimes.count * 9 / 10]
            if high > low { steady = Double(boundTimes.count * 8 / 10) / Nanos.seconds(high - low) }
        }
        func since(_ time: UInt64, done: Bool) -> Double? { done && time >= start ? Nanos.seconds(time - start) : nil }
        let allCreated = since(counts.lastAdded, done: counts.added >= total)
        let allBound = since(counts.lastBound, done: counts.bound >= total)
        let allRunning = since(counts.lastRunning, done: counts.running >= total)
        let phase = Nanos.seconds(end - start)
        return Result(
            minions: options.minions, rcs: options.rcs, replicasPerRC: options.replicas, pods: total,
            heartbeatIntervalSeconds: options.heartbeatInterval,
            podRequests: "cpu \(options.cpuRequest), memory \(options.memoryRequest)", load: load,
            masterArguments: cluster.master.arguments, hollowArguments: hollow.arguments,
            masterPid: cluster.master.pid, hollowPid: hollow.pid,
            minionsReadySeconds: readySeconds, rcCreateSeconds: Nanos.seconds(rcsDone - start),
            allCreatedSeconds: allCreated, allBoundSeconds: allBound, allRunningSeconds: allRunning,
            boundPerSecond: allBound.map { Double(total) / $0 } ?? Double(counts.bound) / phase,
            runningPerSecond: allRunning.map { Double(total) / $0 } ?? Double(counts.running) / phase,
            steadyBoundPerSecond: steady,
            createdToBound: Distribution(nanos: toBound), createdToRunning: Distribution(nanos: toRunning),
            boundToRunning: Distribution(nanos: boundToRunning), seen: counts, timedOut: timedOut,
            notReadyMinionsAtEnd: notReady, masterIdle: masterIdle, masterEnd: masterEnd, hollowIdle: hollowIdle,
            hollowEnd: hollowEnd, cpu: CPUShare(from: startMark, to: endMark), phaseSeconds: phase,
            writes: endRevision - startRevision,
            writesPerSecond: Double(endRevision - startRevision) / max(phase, 1e-9), watchEvents: counts.events,
            timeline: timeline, exitStatuses: statuses)
    }

    /// POSTs every RC, `createConcurrency` at a time.
    private func createRCs(url: String) async throws {
        let api = OrcaClient(baseURL: url, httpClient: client)
        let names = (0..<options.rcs).map { String(format: "rc-%03d", $0) }
        let template = self.template
        let replicas = options.replicas
        try await withThrowingTaskGroup(of: Void.self) { group in
            var pending = names[...]
            for _ in 0..<min(options.createConcurrency, names.count) {
                guard let name = pending.popFirst() else { break }
                group.addTask { _ = try await api.create(Self.rc(name, replicas: replicas, template: template)) }
            }
            while try await group.next() != nil {
                if let name = pending.popFirst() {
                    group.addTask { _ = try await api.create(Self.rc(name, replicas: replicas, template: template)) }
                }
            }
        }
    }

    /// The pod spec of every RC: one container with the configured requests.
    var template: PodSpec {
        var container = Container(name: "pause", image: "registry.k8s.io/pause:3.9")
        if let cpu = Quantity(options.cpuRequest), let memory = Quantity(options.memoryRequest) {
            container.resources = ResourceRequirements(requests: ["cpu": cpu, "memory": memory])
        }
        return PodSpec(containers: [container], restartPolicy: .always)
    }

    static func rc(_ name: String, replicas: Int, template: PodSpec, namespace: String = Throughput.namespace)
        -> ReplicationController {
        let labels = ["app": "bench", "rc": name]
        return ReplicationController(
            metadata: ObjectMeta(name: name, namespace: namespace, labels: labels),
            spec: ReplicationControllerSpec(
                replicas: replicas, selector: labels,
                template: PodTemplateSpec(metadata: ObjectMeta(labels: labels), spec: template)))
    }
}

/// Samples the counters once a second until cancelled.
actor Sampler {
    private(set) var samples: [Throughput.Sample] = []
    private let start: UInt64
    private let cluster: Cluster
    private let hollow: ChildProcess
    private let tracker: PodTracker
    private var mark: CPUShare.Mark
    private var revision: Int64

    init(start: UInt64, startRevision: Int64, startMark: CPUShare.Mark, cluster: Cluster, hollow: ChildProcess,
         tracker: PodTracker) {
        self.start = start
        self.revision = startRevision
        self.mark = startMark
        self.cluster = cluster
        self.hollow = hollow
        self.tracker = tracker
    }

    func run() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: .seconds(1))
            } catch {
                return
            }
            let now = CPUShare.Mark(master: cluster.master.pid, hollows: [hollow.pid])
            let counts = tracker.counts
            let current = (try? await cluster.http.revision()) ?? revision
            let interval = max(Nanos.seconds(now.at - mark.at), 1e-9)
            samples.append(Throughput.Sample(
                seconds: Nanos.seconds(now.at - start), created: counts.added, bound: counts.bound,
                running: counts.running, cpu: CPUShare(from: mark, to: now),
                masterRSSMB: cluster.master.reading().rssMB, revision: current,
                writesPerSecond: Double(current - revision) / interval))
            mark = now
            revision = current
        }
    }
}

func format(_ value: Double, _ decimals: Int) -> String {
    String(format: "%.\(decimals)f", value)
}
