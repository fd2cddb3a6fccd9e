/// Runs API writes concurrently with a bound, slow-starting as Kubernetes' controllers do: batches
/// of 1, 2, 4, ... up to `maxInFlight` items, each batch awaited in full, stopping after the first
/// batch in which a write failed. A request that fails for everyone (a quota, an invalid template)
/// thus costs one call, not hundreds.
enum BoundedWrites {
    struct Outcome {
        /// How many items were tried (the rest were skipped after a failure).
        var attempted: Int
        /// The errors of the failed items, in no particular order.
        var errors: [any Error]
    }

    static func run<Item: Sendable>(
        _ items: [Item], maxInFlight: Int, _ write: @escaping @Sendable (Item) async throws -> Void
    ) async -> Outcome {
        var next = 0
        var batch = 1
        var errors: [any Error] = []
        let limit = max(1, maxInFlight)
        while next < items.count && errors.isEmpty {
            let slice = items[next..<min(items.count, next + batch)]
            next += slice.count
            errors = await withTaskGroup(of: (any Error)?.self) { group in
                for item in slice {
                    group.addTask {
                        do {
                            try await write(item)
                            return nil
                        } catch {
                            return error
                        }
                    }
                }
                var failed: [any Error] = []
                for await error in group {
                    if let error { failed.append(error) }
                }
                return failed
            }
            batch = min(batch * 2, limit)
        }
        return Outcome(attempted: next, errors: errors)
    }
}
