import BenchSupport
import AsyncHTTPClient
import NIOCore
import Synchronization

/// Watch fan-out: many concurrent watchers of one namespace's pods, then a writer updating one pod at a
/// steady pace; each watcher timestamps every event's arrival.
///
/// A watcher watches from the revision just before the watched pod's creation, so its first event is
/// that pod's ADDED: proof that it is registered and streaming. The writes start once every watcher has
/// seen it (or the connect time cap passes). Each write sets the pod's `bench-write` label to its number,
/// so an event is matched to its write even when the master's own controllers change the pod too (their
/// events repeat the label; only the first arrival per write counts). Writes carry no resourceVersion
/// (an unconditional update), so a controller's change cannot make them conflict. Latency of a
/// (watcher, event) pair = arrival minus the moment the write's HTTP response returned to the writer, and
/// also minus the moment it was sent.
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
        /// Arrival time of each write's first event, by write number (index 0 unused); 0 = not seen.
        var arrivals: [UInt64]
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
        // By write number; returned == 0: the write failed.
        var written = [(sent: UInt64, returned: UInt64)](repeating: (0, 0), count: writes + 1)
        var writeSamples = Samples()
        var outcomes: [WatcherOutcome] = []

        await withTaskGroup(of: WatcherOutcome.self) { group in
            for _ in 0..<watchers {
                group.addTask {
                    let outcome = await Self.watch(http: http, url: url, writes: writes, seconds: watchSeconds,
                                                   progress: progress)
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
            let writeStart = Nanos.now()
            for index in 1...writes {
                let slot = writeStart + UInt64(index - 1) * interval
                let now = Nanos.now()
                if slot > now { try? await Task.sleep(for: .nanoseconds(Int64(slot - now))) }
                let body = PodJSON.pod(name: Self.podName, namespace: ns, write: index)
                // An update without resourceVersion can still meet 409 when a controller writes the pod between
                // the server's read and its compare-and-swap; retry (at most 5 times), timing from the first send.
                let sent = Nanos.now()
                var settled = false
                for _ in 0..<5 where !settled {
                    do {
                        let path = "/api/v1/namespaces/\(ns)/pods/\(Self.podName)"
                        let reply = try await api.send(.put, path, json: body)
                        if reply.status == 409 {
                            writeSamples.conflicts += 1
                            continue
                        }
                        let returned = Nanos.now()
                        writeSamples.nanos.append(returned - sent)
                        if reply.status == 200 {
                            written[index] = (sent, returned)
                        } else {
                            writeSamples.fail("HTTP \(reply.status): \(String(buffer: reply.body).prefix(200))")
                        }
                    } catch {
                        writeSamples.fail("\(error)")
                    }
                    settled = true
                }
                if !settled { writeSamples.fail("409 Conflict five times") }
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
            for (index, arrival) in outcome.arrivals.enumerated() where arrival != 0 && written[index].returned != 0 {
                sinceResponse.append(Int64(arrival) - Int64(written[index].returned))
                sinceSent.append(Int64(arrival) - Int64(written[index].sent))
            }
        }
        let succeeded = written.dropFirst().filter { $0.returned != 0 }.count
        let expected = connected * succeeded
        let writeSeconds = Double(writes) * Double(interval) / 1e9
        return Result(
            watchers: watchers, connected: connected, connectSeconds: connectSeconds, writes: succeeded,
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
            masterMicrosecondsPerDelivery: sinceSent.isEmpty
                ? 0 : cpu.masterPercent / 100 * fanoutSeconds / Double(sinceSent.count) * 1e6)
    }

    /// One watcher: streams until it has seen every write, fails, or is cancelled. Write 0 is the pod's
    /// creation: its ADDED event says the watch is streaming.
    private static func watch(
        http: HTTPClient, url: String, writes: Int, seconds: Int64, progress: Progress
    ) async -> WatcherOutcome {
        var outcome = WatcherOutcome(arrivals: [UInt64](repeating: 0, count: writes + 1))
        var seen = 0
        var ready = false
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
                    guard let write = PodJSON.write(line), write <= writes else { continue }
                    if write == 0 {
                        if !ready { progress.ready.add(1, ordering: .relaxed) }
                        ready = true
                    } else if outcome.arrivals[write] == 0 {
                        outcome.arrivals[write] = arrival
                        seen += 1
                        if seen == writes { return outcome }
                    }
                }
            }
            outcome.error = "the watch ended after \(seen) of \(writes) writes"
        } catch is CancellationError {
            // Ended by the coordinator after the drain cap; missing events are counted from the arrivals.
        } catch {
            if !Task.isCancelled { outcome.error = "\(error)" }
        }
        return outcome
    }
}
