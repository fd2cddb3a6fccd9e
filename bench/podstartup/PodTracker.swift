import BenchSupport
import Foundation
import OrcaAPI
import OrcaClient
import Synchronization

/// When each pod was created and when a watch first saw it ADDED and Running: the times a
/// phase's latencies are made of (monotonic nanoseconds of this process).
final class PodTracker: Sendable {
    struct Times: Sendable {
        /// Just before the create request was sent.
        var createSent: UInt64?
        /// When the create request's answer arrived.
        var createAnswered: UInt64?
        /// When the watch delivered the pod's ADDED event.
        var added: UInt64?
        /// When the watch first delivered the pod with phase Running.
        var running: UInt64?
    }

    private let times = Mutex<[String: Times]>([:])
    private let events = Mutex(0)

    func sent(_ name: String) { times.withLock { $0[name, default: Times()].createSent = Nanos.now() } }
    func answered(_ name: String) { times.withLock { $0[name, default: Times()].createAnswered = Nanos.now() } }

    func snapshot() -> [String: Times] { times.withLock { $0 } }
    var eventCount: Int { events.withLock { $0 } }

    /// Consumes a watch of the namespace's pods from `resourceVersion` until cancelled; throws
    /// if the watch fails or the server ends it.
    func watch(_ client: OrcaClient, namespace: String, from resourceVersion: String?) async throws {
        for try await event in client.watch(Pod.self, namespace: namespace, resourceVersion: resourceVersion) {
            let at = Nanos.now()
            guard let name = event.object.metadata.name else { continue }
            events.withLock { $0 += 1 }
            times.withLock { times in
                var entry = times[name, default: Times()]
                if event.type == .added, entry.added == nil { entry.added = at }
                if event.object.status?.phase == .running, entry.running == nil { entry.running = at }
                times[name] = entry
            }
        }
        if !Task.isCancelled { throw BenchError("the pod watch ended before the phase did") }
    }

    /// Waits (polling every 2 ms) until every pod in `names` has been seen Running; throws after `deadline`.
    func waitRunning(_ names: [String], until deadline: UInt64, describing: () -> String) async throws {
        while true {
            let missing = times.withLock { times in names.filter { times[$0]?.running == nil } }
            if missing.isEmpty { return }
            guard Nanos.now() < deadline else {
                throw BenchError("\(missing.count) of \(names.count) pods not Running in time "
                    + "(\(missing.prefix(5).joined(separator: ", ")))\n\(describing())")
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}
