/// The open watches of a store, and the fan-out of committed events to them.
///
/// Lives inside the store's lock: registering a watcher (after delivering its backlog) and fanning
/// out a write happen under the same lock, which is what keeps a watch free of gaps and duplicates.
/// Each watcher has its own bounded buffer (its stream's), so a slow consumer never blocks a writer;
/// a watcher whose buffer is full is dropped and its stream failed with `StoreError.watcherTooSlow`.
struct WatcherRegistry {
    typealias Continuation = AsyncThrowingStream<StoreEvent, any Error>.Continuation

    /// A stream to end once the store's lock is released: finishing calls the stream's termination
    /// handler, which takes the lock again.
    struct Ending {
        let continuation: Continuation
        let error: StoreError?

        func finish() {
            if let error { continuation.finish(throwing: error) } else { continuation.finish() }
        }
    }

    private struct Watcher {
        let prefix: String
        let fromRevision: Int64
        let continuation: Continuation
    }

    private var watchers: [UInt64: Watcher] = [:]
    private var nextID: UInt64 = 0
    /// How many events beyond its backlog a watcher may have waiting before it is dropped.
    let bufferLimit: Int

    init(bufferLimit: Int) {
        self.bufferLimit = bufferLimit
    }

    var count: Int { watchers.count }

    /// Makes a stream for a new watch, already holding `backlog`, and registers it for live events
    /// with a revision above `fromRevision`. `onTermination` receives the watcher's id.
    mutating func add(
        prefix: String,
        fromRevision: Int64,
        backlog: [StoreEvent],
        onTermination: @escaping @Sendable (UInt64) -> Void
    ) -> AsyncThrowingStream<StoreEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<StoreEvent, any Error>.makeStream(
            bufferingPolicy: .bufferingOldest(backlog.count + bufferLimit)
        )
        for event in backlog { continuation.yield(event) }
        let id = nextID
        nextID += 1
        continuation.onTermination = { _ in onTermination(id) }
        watchers[id] = Watcher(prefix: prefix, fromRevision: fromRevision, continuation: continuation)
        return stream
    }

    mutating func remove(_ id: UInt64) {
        watchers[id] = nil
    }

    /// Delivers committed events, in revision order, to every watcher they match. Returns the streams
    /// of watchers that overflowed, to be failed after the lock is released.
    mutating func publish(_ events: some Sequence<StoreEvent>) -> [Ending] {
        guard !watchers.isEmpty else { return [] }
        var endings: [Ending] = []
        var gone: Set<UInt64> = []
        for event in events {
            for (id, watcher) in watchers where !gone.contains(id) {
                guard event.revision > watcher.fromRevision,
                    KeyOrder.hasPrefix(event.object.key, watcher.prefix)
                else { continue }
                switch watcher.continuation.yield(event) {
                case .enqueued:
                    break
                case .dropped:
                    // Not one more event for it, or the consumer could see a gap before the error.
                    gone.insert(id)
                    let error = StoreError.watcherTooSlow(limit: bufferLimit)
                    endings.append(Ending(continuation: watcher.continuation, error: error))
                case .terminated:
                    gone.insert(id)
                @unknown default:
                    gone.insert(id)
                }
            }
        }
        for id in gone { watchers[id] = nil }
        return endings
    }

    /// Unregisters every watcher; their streams are to be finished after the lock is released.
    mutating func removeAll() -> [Ending] {
        let endings = watchers.values.map { Ending(continuation: $0.continuation, error: nil) }
        watchers = [:]
        return endings
    }
}
