/// A queue of keys to reconcile, as Kubernetes' workqueue: a key waiting in the queue is there
/// once however often it is added; a key being processed is never handed to a second worker,
/// and if it is added meanwhile it is processed again once the first worker is done; failures
/// come back after a per-key exponential backoff.
///
/// Time comes from the injected clock, so tests advance it instead of sleeping.
public actor WorkQueue<Key: Hashable & Sendable> {
    public struct Configuration: Sendable {
        /// The first retry delay; it doubles with every failure of the same key.
        public var baseDelay: Duration = .milliseconds(5)
        /// The longest retry delay.
        public var maxDelay: Duration = .seconds(30)

        public init(baseDelay: Duration = .milliseconds(5), maxDelay: Duration = .seconds(30)) {
            self.baseDelay = baseDelay
            self.maxDelay = maxDelay
        }
    }

    private let configuration: Configuration
    private let clock: any Clock<Duration>
    private var queue: [Key] = []
    private var head = 0
    /// Keys waiting in `queue`, or processed and added again meanwhile.
    private var dirty: Set<Key> = []
    private var processing: Set<Key> = []
    private var failures: [Key: Int] = [:]
    private var waiters: [CheckedContinuation<Key?, Never>] = []
    private var delayed: [Key: Task<Void, Never>] = [:]
    private var isShutDown = false

    public init(configuration: Configuration = Configuration(), clock: any Clock<Duration> = ContinuousClock()) {
        self.configuration = configuration
        self.clock = clock
    }

    /// Queues `key` unless it is already waiting.
    public func add(_ key: Key) {
        guard !isShutDown, !dirty.contains(key) else { return }
        dirty.insert(key)
        // Being processed: it is queued again when `done` is called.
        if processing.contains(key) { return }
        if let waiter = waiters.first {
            waiters.removeFirst()
            processing.insert(key)
            dirty.remove(key)
            waiter.resume(returning: key)
        } else {
            queue.append(key)
        }
    }

    /// Queues `key` after `delay`; a later request for the same key replaces a pending one.
    public func add(_ key: Key, after delay: Duration) {
        guard !isShutDown else { return }
        guard delay > .zero else { return add(key) }
        delayed[key]?.cancel()
        let clock = self.clock
        delayed[key] = Task {
            do {
                try await clock.sleep(for: delay)
            } catch {
                return
            }
            self.fireDelayed(key)
        }
    }

    private func fireDelayed(_ key: Key) {
        delayed[key] = nil
        add(key)
    }

    /// Queues `key` again after its backoff, which doubles with each call until ``forget(_:)``.
    public func addRateLimited(_ key: Key) {
        let n = failures[key, default: 0]
        failures[key] = n + 1
        add(key, after: backoff(failures: n))
    }

    /// The delay before the retry that follows `failures` failures.
    public func backoff(failures: Int) -> Duration {
        var delay = configuration.baseDelay
        for _ in 0..<min(failures, 40) {
            delay = delay * 2
            if delay >= configuration.maxDelay { return configuration.maxDelay }
        }
        return min(delay, configuration.maxDelay)
    }

    /// Clears the backoff of `key` (after a success).
    public func forget(_ key: Key) {
        failures[key] = nil
    }

    /// How many times `key` has failed in a row.
    public func failureCount(_ key: Key) -> Int { failures[key, default: 0] }

    /// The next key to process, waiting for one; nil once the queue is shut down.
    public func get() async -> Key? {
        if head < queue.count {
            let key = queue[head]
            head += 1
            if head > 1024 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            dirty.remove(key)
            processing.insert(key)
            return key
        }
        if isShutDown { return nil }
        return await withCheckedContinuation { waiters.append($0) }
    }

    /// Marks `key` processed; if it was added meanwhile it is queued again.
    public func done(_ key: Key) {
        processing.remove(key)
        if dirty.contains(key) {
            dirty.remove(key)
            add(key)
        }
    }

    /// Stops handing out keys: waiting and later `get` calls return nil.
    public func shutDown() {
        isShutDown = true
        for task in delayed.values { task.cancel() }
        delayed.removeAll()
        for waiter in waiters { waiter.resume(returning: nil) }
        waiters.removeAll()
    }

    /// Keys waiting to be handed out.
    public var count: Int { queue.count - head }

    /// Runs `workers` loops that take keys and call `handler`: a thrown error is reported to
    /// `onError` and re-queues the key with backoff, a success forgets its failures. Returns when
    /// the queue is shut down; cancelling the calling task shuts the queue down.
    public nonisolated func run(
        workers: Int,
        onError: @escaping @Sendable (Key, any Error) -> Void = { _, _ in },
        _ handler: @escaping @Sendable (Key) async throws -> Void
    ) async {
        await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<max(1, workers) {
                    group.addTask {
                        while let key = await self.get() {
                            do {
                                try await handler(key)
                                await self.forget(key)
                            } catch {
                                onError(key, error)
                                await self.addRateLimited(key)
                            }
                            await self.done(key)
                        }
                    }
                }
            }
        } onCancel: {
            Task { await self.shutDown() }
        }
    }
}
