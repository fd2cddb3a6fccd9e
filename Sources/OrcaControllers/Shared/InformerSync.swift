/// Waits until every check passes (informers that have listed), polling, so that a cancellation
/// (a shutdown before the master answered) ends the wait. Returns false when cancelled.
///
/// Polls in real time rather than on a controller's injected clock: it only paces a startup
/// check, and a test's manual clock would otherwise have to be advanced to start a controller.
func waitUntilAllSynced(_ checks: [@Sendable () -> Bool], every interval: Duration = .milliseconds(10)) async
    -> Bool {
    while !checks.allSatisfy({ $0() }) {
        do {
            try await Task.sleep(for: interval)
        } catch {
            return false
        }
    }
    return !Task.isCancelled
}
