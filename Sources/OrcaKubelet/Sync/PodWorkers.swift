import Synchronization

/// One worker per pod: syncs of the same pod never overlap, and however many changes arrive
/// while one runs, exactly one more sync follows it, which reads the newest desired state
/// (the informer's cache), so the latest state wins and nothing is synced twice for nothing.
final class PodWorkers: Sendable {
    private struct Slot {
        var pending = false
    }

    private let slots = Mutex<[String: Slot]>([:])
    private let timers = Mutex<[String: (deadline: ContinuousClock.Instant, task: Task<Void, Never>)]>([:])
    private let sync: @Sendable (String) async -> Void

    init(sync: @escaping @Sendable (String) async -> Void) {
        self.sync = sync
    }

    /// Syncs `key` soon: now if its worker is idle, else once more after the current sync.
    func enqueue(_ key: String) {
        let start = slots.withLock { slots -> Bool in
            if slots[key] != nil {
                slots[key]?.pending = true
                return false
            }
            slots[key] = Slot()
            return true
        }
        guard start else { return }
        Task {
            repeat {
                await sync(key)
            } while slots.withLock { slots -> Bool in
                if slots[key]?.pending == true {
                    slots[key]?.pending = false
                    return true
                }
                slots[key] = nil
                return false
            }
        }
    }

    /// Syncs `key` after `delay` (a restart backoff ending, a retry). One timer per pod: an
    /// earlier one already set is kept, a later one is replaced.
    func enqueue(_ key: String, after delay: Duration) {
        let deadline = ContinuousClock.now + delay
        timers.withLock { timers in
            if let existing = timers[key], existing.deadline <= deadline { return }
            timers[key]?.task.cancel()
            let task = Task { [weak self] in
                try? await Task.sleep(until: deadline, clock: .continuous)
                guard !Task.isCancelled, let self else { return }
                self.timers.withLock { timers in
                    if timers[key]?.deadline == deadline { timers[key] = nil }
                }
                self.enqueue(key)
            }
            timers[key] = (deadline, task)
        }
    }

    /// Whether a sync of `key` runs or waits.
    func isBusy(_ key: String) -> Bool { slots.withLock { $0[key] != nil } }

    /// Stops delayed syncs (shutdown).
    func cancelTimers() {
        timers.withLock { timers in
            for timer in timers.values { timer.task.cancel() }
            timers.removeAll()
        }
    }
}
