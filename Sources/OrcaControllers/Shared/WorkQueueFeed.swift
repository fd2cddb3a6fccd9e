import OrcaClient

/// Moves keys from synchronous informer handlers into a ``OrcaClient/WorkQueue`` (whose `add`
/// is async), in order, without an unstructured task per key.
///
/// Handlers call ``enqueue(_:)``; the controller runs ``run()`` in its task group until it is
/// cancelled. Made once per controller run.
final class WorkQueueFeed<Key: Hashable & Sendable>: Sendable {
    let queue: WorkQueue<Key>
    private let stream: AsyncStream<Key>
    private let continuation: AsyncStream<Key>.Continuation

    init(queue: WorkQueue<Key>) {
        self.queue = queue
        (stream, continuation) = AsyncStream.makeStream()
    }

    /// Queues `key` (soon; the work queue de-duplicates).
    func enqueue(_ key: Key) {
        continuation.yield(key)
    }

    /// Hands queued keys to the work queue until the calling task is cancelled.
    func run() async {
        for await key in stream {
            await queue.add(key)
        }
    }
}
