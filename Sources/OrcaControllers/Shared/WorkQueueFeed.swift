import OrcaClient
import Synchronization

/// Moves keys from synchronous informer handlers into a ``OrcaClient/WorkQueue`` (whose `add`
/// is async), in order of first arrival, without an unstructured task per key.
///
/// Handlers call ``enqueue(_:)``; the controller runs ``run()`` in its task group until it is
/// cancelled. With a coalescing window, the keys that arrive within the window after the first
/// one go to the queue together, each once: a controller whose every pod event queues its owner
/// (the replication manager: hundreds of pods per controller, a few events each) reconciles it
/// once per window instead of once per event that finds it idle. Made once per controller run.
final class WorkQueueFeed<Key: Hashable & Sendable>: Sendable {
    private struct Pending {
        var keys: [Key] = []
        var seen: Set<Key> = []
        var waiter: CheckedContinuation<Void, Never>?
        var stopped = false
    }

    let queue: WorkQueue<Key>
    private let coalescing: Duration?
    private let clock: any Clock<Duration>
    private let pending = Mutex(Pending())

    /// - Parameter coalescing: how long keys gather before they go to the queue (nil: at once).
    init(queue: WorkQueue<Key>, coalescing: Duration? = nil, clock: any Clock<Duration> = ContinuousClock()) {
        self.queue = queue
        self.coalescing = coalescing
        self.clock = clock
    }

    /// Queues `key` (soon; the work queue de-duplicates).
    func enqueue(_ key: Key) {
        let waiter = pending.withLock { pending -> CheckedContinuation<Void, Never>? in
            guard pending.seen.insert(key).inserted else { return nil }
            pending.keys.append(key)
            defer { pending.waiter = nil }
            return pending.waiter
        }
        waiter?.resume()
    }

    /// Hands queued keys to the work queue until the calling task is cancelled.
    func run() async {
        while await keysArrived() {
            if let coalescing, coalescing > .zero {
                try? await clock.sleep(for: coalescing)
            }
            let keys = pending.withLock { pending -> [Key] in
                defer {
                    pending.keys = []
                    pending.seen = []
                }
                return pending.keys
            }
            for key in keys { await queue.add(key) }
        }
    }

    /// Waits until a key is pending; false once the calling task is cancelled.
    private func keysArrived() async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = pending.withLock { pending -> Bool in
                    if !pending.keys.isEmpty || pending.stopped || Task.isCancelled { return true }
                    pending.waiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
            return !Task.isCancelled && !pending.withLock { $0.stopped }
        } onCancel: {
            let waiter = pending.withLock { pending -> CheckedContinuation<Void, Never>? in
                pending.stopped = true
                defer { pending.waiter = nil }
                return pending.waiter
            }
            waiter?.resume()
        }
    }
}
