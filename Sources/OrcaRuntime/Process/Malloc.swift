import CRuntimeShims

/// glibc's allocator, tuned for daemons that mostly wait (`orca-minion`).
public enum Malloc {
    /// Limits the process to `count` malloc arenas. glibc gives a thread that meets contention an
    /// arena of its own (up to 8 per core), and memory freed in an arena stays there for that
    /// arena's next allocations; work that hops over the threads of Swift's concurrency pool
    /// keeps several mostly idle arenas resident. Call early, before threads allocate.
    @discardableResult
    public static func limitArenas(to count: Int32) -> Bool {
        orca_limit_malloc_arenas(count) == 1
    }

    /// Gives free memory at the top of the heaps back to the kernel (`malloc_trim(0)`). glibc
    /// keeps it otherwise: after a burst of pod starts the minion stayed ~2 MB larger for good.
    /// Go's runtime (the k3s agent, kubelet) does the same in the background.
    public static func trim() {
        orca_malloc_trim()
    }
}
