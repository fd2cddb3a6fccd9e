import BenchSupport

/// The API load: concurrent clients creating, getting, listing and updating pods, one phase per verb.
///
/// Each client is a task in a closed loop (send, wait for the whole response, send the next) over a
/// shared keep-alive pool with a connection per client. Client `c` handles indices c, c + clients, ...
/// until the phase's count is done or its time cap passes.
struct APILoad {
    /// One phase: its rows (a request kind each), wall time, and the CPU both processes used meanwhile.
    struct Phase: Codable, Sendable {
        var name: String
        var seconds: Double
        var rows: [LatencySummary]
        var cpu: CPUShare
        /// CPU time per request of the phase (all its rows), in microseconds: a cost that holds even when
        /// other processes compete for the cores.
        var masterMicrosecondsPerRequest: Double
        var benchMicrosecondsPerRequest: Double
        /// How far the store's revision moved during the phase: writes by the clients plus any by the
        /// master's own control loops.
        var storeRevisions: Int64
        var stoppedAtTimeCap: Bool
    }

    /// Per-client results, merged when the phase ends.
    struct Recorder: Sendable {
        var samples: [String: Samples] = [:]
        var created: [Int] = []
        /// Loop iterations finished (one per index).
        var iterations = 0

        mutating func merge(_ other: Recorder) {
            for (verb, samples) in other.samples { self.samples[verb, default: Samples()].merge(samples) }
            created += other.created
            iterations += other.iterations
        }

        /// Times `call` under `verb`; a status other than `ok` (and, for updates, 409) counts as an error.
        mutating func time(_ verb: String, ok: UInt, countConflicts: Bool = false,
                           _ call: () async throws -> APIClient.Reply) async -> APIClient.Reply? {
            let start = Nanos.now()
            do {
                let reply = try await call()
                samples[verb, default: Samples()].nanos.append(Nanos.now() - start)
                if reply.status == ok { return reply }
                if countConflicts && reply.status == 409 {
                    samples[verb, default: Samples()].conflicts += 1
                } else {
                    let text = String(buffer: reply.body).prefix(200)
                    samples[verb, default: Samples()].fail("HTTP \(reply.status): \(text)")
                }
            } catch {
                samples[verb, default: Samples()].fail("\(error)")
            }
            return nil
        }
    }

    static let namespace = "bench"
    static let listNamespace = "bench-list"

    let api: APIClient
    let master: MasterProcess
    let options: Options

    /// Runs the phases in order and returns them; `created` are the indices of the pods that exist.
    func run() async throws -> [Phase] {
        try await fillListNamespace()
        let api = self.api
        let ns = Self.namespace
        var phases: [Phase] = []

        let (createPhase, recorder) = await phase("create", count: options.pods, verbs: ["create"]) { index, r in
            let name = Self.podName(index)
            if await r.time("create", ok: 201, {
                try await api.send(.post, "/api/v1/namespaces/\(ns)/pods", json: PodJSON.pod(name: name, namespace: ns))
            }) != nil {
                r.created.append(index)
            }
        }
        phases.append(createPhase)
        let created = recorder.created.sorted()
        guard !created.isEmpty else { throw BenchError("no pod was created: \(createPhase.rows)") }

        phases.append(await phase("get", count: options.gets, verbs: ["get"]) { index, r in
            let name = Self.podName(Self.pick(index, from: created))
            _ = await r.time("get", ok: 200, { try await api.send(.get, "/api/v1/namespaces/\(ns)/pods/\(name)") })
        }.0)

        let pageVerb = "list limit=50 (namespace of \(created.count))"
        phases.append(await phase("list-page", count: options.lists, verbs: [pageVerb]) { _, r in
            _ = await r.time(pageVerb, ok: 200, { try await api.send(.get, "/api/v1/namespaces/\(ns)/pods?limit=50") })
        }.0)

        let wholeVerb = "list whole namespace (\(options.listNamespacePods) pods)"
        let listNS = Self.listNamespace
        phases.append(await phase("list-namespace", count: options.lists, verbs: [wholeVerb]) { _, r in
            _ = await r.time(wholeVerb, ok: 200, { try await api.send(.get, "/api/v1/namespaces/\(listNS)/pods") })
        }.0)

        phases.append(await phase("update", count: options.updates, verbs: ["update (PUT)", "get before update"]) {
            index, r in
            let name = Self.podName(Self.pick(index &* 31 &+ 7, from: created))
            let path = "/api/v1/namespaces/\(ns)/pods/\(name)"
            guard let current = await r.time("get before update", ok: 200, { try await api.send(.get, path) }) else {
                return
            }
            guard let version = PodJSON.resourceVersion(current.body) else {
                r.samples["update (PUT)", default: Samples()].fail("no resourceVersion in the GET response")
                return
            }
            let body = PodJSON.pod(name: name, namespace: ns, write: index + 1, resourceVersion: version)
            _ = await r.time("update (PUT)", ok: 200, countConflicts: true, {
                try await api.send(.put, path, json: body)
            })
        }.0)
        return phases
    }

    /// The namespace listed whole, filled before the phases (not measured).
    private func fillListNamespace() async throws {
        let ns = Self.listNamespace
        for index in 0..<options.listNamespacePods {
            let reply = try await api.send(.post, "/api/v1/namespaces/\(ns)/pods",
                                           json: PodJSON.pod(name: Self.podName(index), namespace: ns))
            guard reply.status == 201 else {
                let body = String(buffer: reply.body)
                throw BenchError("creating \(ns)/\(Self.podName(index)): HTTP \(reply.status) \(body)")
            }
        }
    }

    private func phase(
        _ name: String, count: Int, verbs: [String],
        _ body: @escaping @Sendable (Int, inout Recorder) async -> Void
    ) async -> (Phase, Recorder) {
        let clients = options.clients
        let firstRevision = await currentRevision()
        let meter = CPUShare.Meter(pid: master.pid)
        let start = Nanos.now()
        let deadline = start + Nanos.from(seconds: options.phaseTimeoutSeconds)
        let recorder = await withTaskGroup(of: Recorder.self) { group in
            for client in 0..<clients {
                group.addTask {
                    var recorder = Recorder()
                    var index = client
                    while index < count && Nanos.now() < deadline {
                        await body(index, &recorder)
                        recorder.iterations += 1
                        index += clients
                    }
                    return recorder
                }
            }
            var merged = Recorder()
            for await recorder in group { merged.merge(recorder) }
            return merged
        }
        let elapsed = Nanos.seconds(Nanos.now() - start)
        let rows = verbs.map {
            LatencySummary(name: $0, samples: recorder.samples[$0] ?? Samples(), elapsedSeconds: elapsed)
        }
        let cpu = meter.finish()
        let lastRevision = await currentRevision()
        let requests = Double(max(1, rows.reduce(0) { $0 + $1.requests }))
        let phase = Phase(
            name: name, seconds: elapsed, rows: rows, cpu: cpu,
            masterMicrosecondsPerRequest: cpu.masterPercent / 100 * elapsed / requests * 1e6,
            benchMicrosecondsPerRequest: cpu.benchPercent / 100 * elapsed / requests * 1e6,
            storeRevisions: lastRevision - firstRevision,
            stoppedAtTimeCap: recorder.iterations < count)
        return (phase, recorder)
    }

    /// The quiet period after the load: how long the master's own control loops kept writing.
    struct Settle: Codable, Sendable {
        var seconds: Double
        var storeRevisions: Int64
        var settled: Bool
        var cpu: CPUShare
    }

    /// Waits until the store's revision has not moved for 3 s (at most `limit` seconds): the clients are
    /// done, so any writes now come from the master's control loops (scheduler, controllers).
    func settle(limit: Double) async -> Settle {
        let meter = CPUShare.Meter(pid: master.pid)
        let start = Nanos.now()
        let first = await currentRevision()
        var last = first
        var lastChange = start
        var settled = false
        while Nanos.now() - start < Nanos.from(seconds: limit) {
            try? await Task.sleep(for: .milliseconds(500))
            let revision = await currentRevision()
            if revision != last {
                last = revision
                lastChange = Nanos.now()
            } else if Nanos.now() - lastChange >= 3_000_000_000 {
                settled = true
                break
            }
        }
        return Settle(seconds: Nanos.seconds(lastChange - start), storeRevisions: last - first, settled: settled,
                      cpu: meter.finish())
    }

    /// The store's current revision: a list's resourceVersion (0 if the list fails).
    private func currentRevision() async -> Int64 {
        let reply = try? await api.send(.get, "/api/v1/namespaces/\(Self.listNamespace)/pods?limit=1")
        return reply.flatMap { PodJSON.listRevision($0.body) } ?? 0
    }

    static func podName(_ index: Int) -> String { "pod-\(index)" }

    /// A pseudo-random but repeatable element, so runs are comparable.
    static func pick(_ index: Int, from created: [Int]) -> Int {
        created[Int(UInt64(truncatingIfNeeded: index) &* 2_654_435_761 % UInt64(created.count))]
    }
}
