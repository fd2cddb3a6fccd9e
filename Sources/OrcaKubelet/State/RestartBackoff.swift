/// Kubernetes' crash-loop backoff: the delay before restarting a container that exited
/// starts at `initial`, doubles on each quick exit up to `cap`, and resets once an instance
/// has run for `reset` (so a server that crashes once a day restarts at once).
struct RestartBackoff: Sendable, Equatable {
    /// The delay that was applied last (nil: none yet, or reset).
    var delay: Duration?
    /// No restart before this instant.
    var until: ContinuousClock.Instant?

    mutating func exited(after ran: Duration, now: ContinuousClock.Instant, initial: Duration, cap: Duration,
                         reset: Duration) {
        if ran >= reset { delay = nil }
        let next = delay.map { min($0 * 2, cap) } ?? initial
        delay = next
        until = now + next
    }

    func isWaiting(now: ContinuousClock.Instant) -> Bool {
        guard let until else { return false }
        return now < until
    }
}
