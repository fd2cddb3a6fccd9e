import Glibc

/// Monotonic nanoseconds (CLOCK_MONOTONIC): comparable across every task and thread of this process.
enum Nanos {
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    static func milliseconds(_ nanos: UInt64) -> Double { Double(nanos) / 1e6 }
    static func seconds(_ nanos: UInt64) -> Double { Double(nanos) / 1e9 }
    static func from(seconds: Double) -> UInt64 { UInt64(seconds * 1e9) }
}
