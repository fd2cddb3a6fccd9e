import Dispatch

/// Runs blocking file system work (hashing, unpacking, copying trees) on a Dispatch worker
/// instead of a cooperative-pool thread: the pool has one thread per core (two here), and a
/// layer unpack holding one would stall every other task of the process meanwhile.
@discardableResult
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try body() })
        }
    }
}
