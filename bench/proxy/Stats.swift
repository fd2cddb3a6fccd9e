import Glibc

/// Percentiles of latency samples, in microseconds.
struct Latency: Codable, Sendable {
    var samples: Int
    var p50us: Double
    var p90us: Double
    var p99us: Double
    var maxUs: Double

    init(_ nanoseconds: [UInt64]) {
        let sorted = nanoseconds.sorted()
        func at(_ q: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let index = min(sorted.count - 1, Int((Double(sorted.count) * q).rounded(.down)))
            return Double(sorted[index]) / 1000
        }
        samples = sorted.count
        p50us = at(0.50)
        p90us = at(0.90)
        p99us = at(0.99)
        maxUs = Double(sorted.last ?? 0) / 1000
    }
}

/// The 1-, 5- and 15-minute load averages, as `uptime` prints them.
func loadAverage() -> String {
    guard let file = fopen("/proc/loadavg", "r") else { return "unknown" }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 128)
    guard fgets(&line, Int32(line.count), file) != nil else { return "unknown" }
    let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return text.split(separator: " ").prefix(3).joined(separator: " ")
}
