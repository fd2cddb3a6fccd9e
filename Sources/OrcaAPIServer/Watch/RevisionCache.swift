import Synchronization

/// Remembers a value computed for a store revision, so that the watchers of one resource
/// decode (and encode) each event once between them instead of once each.
///
/// A revision identifies one write, so the value for it never changes; the cache keeps the most
/// recent `capacity` entries, which covers watchers that are a little behind.
final class RevisionCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct State {
        var values: [Key: Value] = [:]
        var order: [Key] = []
        var next = 0
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    /// The cached value for `key`, if any (nothing is computed).
    func cached(_ key: Key) -> Value? {
        state.withLock { $0.values[key] }
    }

    /// Caches `value` for `key` unless one is cached already.
    func offer(_ value: Value, for key: Key) {
        _ = self.value(for: key) { value }
    }

    /// The cached value for `key`, or `make()`'s, cached for the next caller.
    func value(for key: Key, _ make: () throws -> Value) rethrows -> Value {
        if let hit = state.withLock({ $0.values[key] }) { return hit }
        // Computed outside the lock: two watchers may both compute a value, which is harmless.
        let value = try make()
        state.withLock { state in
            guard state.values[key] == nil else { return }
            if state.order.count < capacity {
                state.order.append(key)
            } else {
                state.values.removeValue(forKey: state.order[state.next])
                state.order[state.next] = key
                state.next = (state.next + 1) % capacity
            }
            state.values[key] = value
        }
        return value
    }
}
