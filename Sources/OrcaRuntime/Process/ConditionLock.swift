import CRuntimeShims

#if canImport(Glibc)
import Glibc
#endif

/// A pthread mutex with one condition variable, as Foundation's `NSCondition` is (the minion
/// links FoundationEssentials only, which has none), and the thread that waits on it.
final class ConditionLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        // Timed waits count on the monotonic clock: a wall-clock step neither wakes nor strands them.
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }

    func unlock() { pthread_mutex_unlock(mutex) }

    /// Wakes every thread in ``wait(seconds:)``; call it holding the lock.
    func broadcast() { pthread_cond_broadcast(condition) }

    /// Releases the lock until a ``broadcast()`` or until `seconds` have passed, then takes it
    /// again; false when the time ran out. Call it holding the lock.
    func wait(seconds: Int) -> Bool {
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        deadline.tv_sec += seconds
        return pthread_cond_timedwait(condition, mutex, &deadline) == 0
    }

    /// Runs `body` on a new detached thread named `name` (at most 15 characters, as Linux allows).
    static func startThread(name: String, _ body: @escaping @Sendable () -> Void) {
        final class Box {
            let name: String
            let body: @Sendable () -> Void
            init(name: String, body: @escaping @Sendable () -> Void) { (self.name, self.body) = (name, body) }
        }
        let box = Unmanaged.passRetained(Box(name: name, body: body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            _ = orca_set_thread_name(box.name)
            box.body()
            return nil
        }, box)
        precondition(rc == 0, "pthread_create: \(rc)")
        pthread_detach(thread)
    }
}
