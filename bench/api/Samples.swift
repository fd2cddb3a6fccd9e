import BenchSupport

/// Latencies and failures of one kind of request, gathered by one client and merged afterwards.
struct Samples: Sendable {
    var nanos: [UInt64] = []
    /// Responses that were neither a success nor (where counted apart) a conflict, and transport failures.
    var errors = 0
    /// 409 Conflict answers to an update with a stale resourceVersion.
    var conflicts = 0
    var firstError: String?

    mutating func merge(_ other: Samples) {
        nanos += other.nanos
        errors += other.errors
        conflicts += other.conflicts
        firstError = firstError ?? other.firstError
    }

    mutating func fail(_ message: String) {
        errors += 1
        if firstError == nil { firstError = message }
    }

    /// Nearest-rank percentile in milliseconds (0 when there are no samples).
    static func percentile(_ sorted: [Int64], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
        return Double(sorted[min(max(rank, 0), sorted.count - 1)]) / 1e6
    }
}

/// One row of the report: a request kind's rate and latency distribution.
struct LatencySummary: Codable, Sendable {
    var name: String
    var requests: Int
    var perSecond: Double
    var p50Ms: Double
    var p90Ms: Double
    var p99Ms: Double
    var maxMs: Double
    var errors: Int
    var conflicts: Int
    var firstError: String?

    /// `elapsedSeconds` is the phase's wall time, so `perSecond` is the rate all clients reached together.
    init(name: String, samples: Samples, elapsedSeconds: Double) {
        self.init(name: name, signedNanos: samples.nanos.map { Int64($0) }, elapsedSeconds: elapsedSeconds)
        errors = samples.errors
        conflicts = samples.conflicts
        firstError = samples.firstError
    }

    /// For latencies that may be negative (a watch event that arrived before the write's response).
    init(name: String, signedNanos: [Int64], elapsedSeconds: Double) {
        let sorted = signedNanos.sorted()
        self.name = name
        requests = sorted.count
        perSecond = elapsedSeconds > 0 ? Double(sorted.count) / elapsedSeconds : 0
        p50Ms = Samples.percentile(sorted, 0.50)
        p90Ms = Samples.percentile(sorted, 0.90)
        p99Ms = Samples.percentile(sorted, 0.99)
        maxMs = Double(sorted.last ?? 0) / 1e6
        errors = 0
        conflicts = 0
    }
}
