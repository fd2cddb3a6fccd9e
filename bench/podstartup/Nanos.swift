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
}

/// A latency distribution in milliseconds (nearest-rank percentiles).
struct Distribution: Codable, Sendable {
    var count: Int
    var p50Ms: Double
    var p90Ms: Double
    var p99Ms: Double
    var minMs: Double
    var maxMs: Double
    var meanMs: Double

    init(nanos: [UInt64]) {
        let sorted = nanos.sorted()
        count = sorted.count
        func percentile(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
            return Double(sorted[min(max(rank, 0), sorted.count - 1)]) / 1e6
        }
        p50Ms = percentile(0.50)
        p90Ms = percentile(0.90)
        p99Ms = percentile(0.99)
        minMs = Double(sorted.first ?? 0) / 1e6
        maxMs = Double(sorted.last ?? 0) / 1e6
        meanMs = sorted.isEmpty ? 0 : Double(sorted.reduce(0, +)) / Double(sorted.count) / 1e6
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
