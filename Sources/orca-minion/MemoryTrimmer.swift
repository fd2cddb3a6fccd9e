import OrcaRuntime
import ServiceLifecycle

/// Gives the minion's freed heap memory back to the kernel every `interval`, as Go's scavenger
/// does for a Go kubelet: glibc keeps it otherwise, and a burst of pod starts would leave the
/// daemon megabytes larger for good. A trim of a small heap costs microseconds.
struct MemoryTrimmer: Service {
    var interval: Duration = .seconds(1)

    func run() async {
        // Ends quietly on shutdown: a service that throws makes the whole minion exit non-zero.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                Malloc.trim()
            }
        }
    }
}
