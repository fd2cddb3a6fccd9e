import CRuntimeShims

/// glibc's allocator, tuned for daemons that mostly wait (`orca-minion`).
public enum Malloc {
    /// Every thread allocates from the main arena (`mallopt(M_ARENA_MAX, 1)`). glibc otherwise
    /// gives a thread that meets contention an arena of its own, and each keeps its own free
    /// memory. Call before the threads start (arenas made before stay).
    @discardableResult
    public static func singleArena() -> Bool {
        orca_malloc_single_arena() == 1
    }

    /// Gives free memory at the top of the heaps back to the kernel (`malloc_trim(0)`). glibc
    /// keeps it otherwise: after a burst of pod starts the minion stayed ~2 MB larger for good.
    /// Go's runtime (the k3s agent, kubelet) does the same in the background.
    public static func trim() {
        orca_malloc_trim()
    }
}
