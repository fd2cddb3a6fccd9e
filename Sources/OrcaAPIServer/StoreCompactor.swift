import Logging
import OrcaStore
import ServiceLifecycle

/// Compacts the store's history every interval, keeping at least one interval of it, so
/// watches can resume across short disconnects while history stays bounded.
struct StoreCompactor: ServiceLifecycle.Service {
    let store: any ObjectStore
    let interval: Duration
    let logger: Logger

    func run() async throws {
        // Graceful shutdown cancels the sleep; a compaction in flight is short and finishes.
        try? await cancelWhenGracefulShutdown {
            var previous: Int64 = 0
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                do {
                    if previous > 0 { try await store.compact(upTo: previous) }
                    previous = try await store.currentRevision()
                } catch {
                    logger.warning("compaction failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
