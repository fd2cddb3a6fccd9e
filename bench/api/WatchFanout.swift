import AsyncHTTPClient
import NIOCore
import Synchronization

/// Watch fan-out: many concurrent watchers of one namespace's pods, then a writer updating one pod at a
/// steady pace; each watcher timestamps every event's arrival.
///
/// A watcher watches from the revision just before the watched pod's creation, so its first event is
/// that pod's ADDED: proof that it is registered and streaming. The writes start once every watcher has
/// seen it (or the connect time cap passes). Latency of a (watcher, event) pair = arrival minus the
/// moment the write's HTTP response returned to the writer, and also minus the moment it was sent.
struct WatchFanout {
    struct Result: Codable, Sendable {
        var watchers: Int
        /// Watchers that received their first event before the writes began.
        var connected: Int
        var connectSeconds: Double
        var writes: Int
        var intervalMs: Int
        var expectedDeliveries: Int
        var delivered: Int
        var missing: Int
        var watcherErrors: Int
        var firstWatcherError: String?
        /// Arrival minus the write's response returning (negative: the event beat the writer's response).
        var sinceResponse: LatencySummary
        /// Arrival minus the write's request being sent (includes the durable write itself).
        var sinceSent: LatencySummary
        /// The writes themselves (PUT), as the writer saw them.
        var writeLatency: LatencySummary
        /// CPU from the first watcher's connect to the last one's end.
        var cpu: CPUShare
        /// Master CPU per delivered event (per watcher), in microseconds, over the whole fan-out.
        var masterMicrosecondsPerDelivery: Double
    }

    private struct WatcherOutcome: Sendable {
        var arrivals: [(revision: Int64, nanos: UInt64)] = []
        var error: String?
    }

    private final class Progress: Sendable {
        let ready = Atomic<Int>(0)
        let finished = Atomic<Int>(0)
    }

    static let namespace = "bench-watch"
    static let podName = "watched"

    let api: APIClient
    let master: MasterProcess
    let options: Options

    func run() async throws -> Result {
        let ns = Self.namespace
        let created = try await api.send(.post, "/api/v1/namespaces/\(ns)/pods",
                                         json: PodJSON.pod(name: Self.podName, namespace: ns))
        guard created.status == 201, let createdRevision = PodJSON.resourceVersion(created.body) else {
            throw BenchError("creating the watched pod: HTTP \(created.status) \(String(buffer: created.body))")
        }
        let watchers = options.watchers
        let writes = options.watchWrites
        let interval = UInt64(options.watchIntervalMilliseconds) * 1_000_000
        let connectCap: UInt64 = 60_000_000_000
        let drainCap: UInt64 = 10_000_000_000
        // Bounds every watch even if cancellation were lost: connect + writes + drain + slack.
        let watchSeconds = Int64((connectCap + UInt64(writes) * interval + drainCap) / 1_000_000_000) + 30
        let url = api.base + "/api/v1/namespaces/\(ns)/pods?watch=true&resourceVersion=\(createdRevision - 1)"
        let http = APIClient.makeHTTPClient(connections: watchers + 16)
        let progress = Progress()

        let meter = CPUShare.Meter(pid: master.pid)
        var connected = 0
        var connectSeconds = 0.0
        var written: [Int64: (sent: UInt64, returned: UInt64)] = [:]
        var writeSamples = Samples()
        var outcomes: [WatcherOutcome] = []

        await withTaskGroup(of: WatcherOutcome.self) { group in
            for _ in 0..<watchers {
                group.addTask {
                    let outcome = await Self.watch(http: http, url: url, readyRevision: createdRevision,
                                                   expected: writes, seconds: watchSeconds, progress: progress)
                    progress.finished.add(1, ordering: .relaxed)
                    return outcome
                }
            }
            // Wait (bounded) until every watcher streams.
            let connectStart = Nanos.now()
            while progress.ready.load(ordering: .relaxed) + progress.finished.load(ordering: .relaxed) < watchers,
                  Nanos.now() - connectStart < connectCap {
                try? await Task.sleep(for: .milliseconds(10))
            }
            connected = progress.ready.load(ordering: .relaxed)
            connectSeconds = Nanos.seconds(Nanos.now() - connectStart)

            // The writer: `writes` updates of the watched pod, one every `interval`.
            var revision = createdRevision
            let writeStart = Nanos.now()
            for index in 1...writes {
                let slot = writeStart + UInt64(index - 1) * interval
                let now = Nanos.now()
                if slot > now { try? await Task.sleep(for: .nanoseconds(Int64(slot - now))) }
                let body = PodJSON.pod(name: Self.podName, namespace: ns, generation: index, resourceVersion: revision)
                let sent = Nanos.now()
                do {
                    let reply = try await api.send(.put, "/api/v1/namespaces/\(ns)/pods/\(Self.podName)", json: body)
                    let returned = Nanos.now()
                    writeSamples.nanos.append(returned - sent)
                    guard reply.status == 200, let next = PodJSON.resourceVersion(reply.body) else {
                        writeSamples.fail("HTTP \(reply.status): \(String(buffer: reply.body).prefix(200))")
                        continue
                    }
                    revision = next
                    written[next] = (sent, returned)
                } catch {
                    writeSamples.fail("\(error)")
                }
            }
            // Let the watchers drain (bounded), then end the ones still waiting.
            let drainStart = Nanos.now()
            while progress.finished.load(ordering: .relaxed) < watchers, Nanos.now() - drainStart < drainCap {
                try? await Task.sleep(for: .milliseconds(10))
            }
            group.cancelAll()
            for await outcome in group { outcomes.append(outcome) }
        }
        let cpu = meter.finish()
        let fanoutSeconds = Nanos.seconds(Nanos.now() - meter.start)
        try? await http.shutdown()

        var sinceResponse: [Int64] = []
        var sinceSent: [Int64] = []
        var errors = 0
        var firstError: String?
        for outcome in outcomes {
            if let error = outcome.error {
                errors += 1
                firstError = firstError ?? error
            }
            for arrival in outcome.arrivals {
                guard let write = written[arrival.revision] else { continue }
                sinceResponse.append(Int64(arrival.nanos) - Int64(write.returned))
                sinceSent.append(Int64(arrival.nanos) - Int64(write.sent))
            }
        }
        let expected = connected * written.count
        let writeSeconds = Double(writes) * Double(interval) / 1e9
        return Result(
            watchers: watchers, connected: connected, connectSeconds: connectSeconds, writes: written.count,
            intervalMs: options.watchIntervalMilliseconds, expectedDeliveries: expected,
            delivered: sinceSent.count, missing: max(0, expected - sinceSent.count),
            watcherErrors: errors, firstWatcherError: firstError,
            sinceResponse: LatencySummary(name: "event since write response", signedNanos: sinceResponse,
                                          elapsedSeconds: writeSeconds),
            sinceSent: LatencySummary(name: "event since write sent", signedNanos: sinceSent,
                                      elapsedSeconds: writeSeconds),
            writeLatency: LatencySummary(name: "watched write (PUT)", samples: writeSamples,
                                         elapsedSeconds: writeSeconds),
            cpu: cpu,
            masterMicrosecondsPerDelivery: cpu.masterPercent / 100 * fanoutSeconds / Double(max(1, sinceSent.count)) * 1e6)
    }

    /// One watcher: streams until it has `expected` events after the ready one, fails, or is cancelled.
    private static func watch(
        http: HTTPClient, url: String, readyRevision: Int64, expected: Int, seconds: Int64, progress: Progress
    ) async -> WatcherOutcome {
        var outcome = WatcherOutcome()
        outcome.arrivals.reserveCapacity(expected)
        do {
            let response = try await http.execute(HTTPClientRequest(url: url), deadline: .now() + .seconds(seconds))
            guard response.status.code == 200 else {
                let body = try await response.body.collect(upTo: 1 << 16)
                outcome.error = "HTTP \(response.status.code): \(String(buffer: body).prefix(200))"
                return outcome
            }
            var pending: [UInt8] = []
            for try await chunk in response.body {
                let arrival = Nanos.now()
                pending.append(contentsOf: chunk.readableBytesView)
                while let newline = pending.firstIndex(of: 0x0A) {
                    let line = Array(pending[..<newline])
                    pending.removeSubrange(...newline)
                    if PodJSON.isError(line) {
                        outcome.error = "ERROR event: \(String(decoding: line.prefix(200), as: UTF8.self))"
                        return outcome
                    }
                    guard let revision = PodJSON.resourceVersion(line) else { continue }
                    if revision == readyRevision {
                        progress.ready.add(1, ordering: .relaxed)
                    } else {
                        outcome.arrivals.append((revision, arrival))
                        if outcome.arrivals.count >= expected { return outcome }
                    }
                }
            }
            outcome.error = "the watch ended after \(outcome.arrivals.count) of \(expected) events"
        } catch is CancellationError {
            // Ended by the coordinator after the drain cap; missing events are counted from the arrivals.
        } catch {
            if !Task.isCancelled { outcome.error = "\(error)" }
        }
        return outcome
    }
}
