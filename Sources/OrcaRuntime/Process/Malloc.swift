import CRuntimeShims

/// glibc's allocator, tuned for daemons that mostly wait (`orca-minion`; its one arena is set
/// in its `main`, before any thread starts).
public enum Malloc {
    /// Gives free memory at the top of the heaps back to the kernel (`malloc_trim(0)`). glibc
    /// keeps it otherwise: after a burst of pod starts the minion stayed ~2 MB larger for good.
    /// Go's runtime (the k3s agent, kubelet) does the same in the background.
    public static func trim() {
        orca_malloc_trim()
    }
}
