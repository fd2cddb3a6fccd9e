#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension PodManager {
    /// Where a container's log is, and whether its writer has finished (for `follow`).
    struct LogSource: Sendable {
        var path: String
        var isFinished: @Sendable () -> Bool
    }

    /// The log of the container's current (or last) instance, or the one before with `previous`.
    func logSource(key: String, container: String, previous: Bool) -> LogSource? {
        guard let record = record(key), let current = record.containers[container], current.hasStarted else {
            return nil
        }
        let attempt = current.attempt - 1 - (previous ? 1 : 0)
        guard attempt >= 0 else { return nil }
        let path = logFile(uid: record.uid, container: container, attempt: attempt).path
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let runcID = Self.runcID(uid: record.uid, container: container, attempt: attempt)
        return LogSource(path: path) { [weak self] in
            guard let self, let now = self.record(key)?.containers[container] else { return true }
            return !(now.isRunning && now.runcID == runcID)
        }
    }
}
