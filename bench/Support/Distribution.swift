/// A latency distribution in milliseconds (nearest-rank percentiles).
public struct Distribution: Codable, Sendable {
    public var count: Int
    public var p50Ms: Double
    public var p90Ms: Double
    public var p99Ms: Double
    public var minMs: Double
    public var maxMs: Double
    public var meanMs: Double

    public init(nanos: [UInt64]) {
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
