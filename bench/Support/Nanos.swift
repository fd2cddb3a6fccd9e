import Glibc

/// Monotonic nanoseconds (CLOCK_MONOTONIC): comparable across every task and thread of a process.
public enum Nanos {
    public static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    public static func milliseconds(_ nanos: UInt64) -> Double { Double(nanos) / 1e6 }
    public static func seconds(_ nanos: UInt64) -> Double { Double(nanos) / 1e9 }
    public static func from(seconds: Double) -> UInt64 { UInt64(seconds * 1e9) }
}

/// A benchmark that cannot go on: printed as its one line.
public struct BenchError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// One goal of an issue, as a benchmark's report states it.
public struct BenchGoal: Codable, Sendable {
    public var goal: String
    public var measured: String
    public var met: Bool

    public init(goal: String, measured: String, met: Bool) {
        self.goal = goal
        self.measured = measured
        self.met = met
    }
}
