import BenchSupport
import Foundation

/// Waits for a quiet machine: other engineers build and benchmark on the same two cores, and a
/// run sharing them measures the sharing. (As bench/scheduler/LoadGate.swift.)
struct LoadGate: Codable, Sendable {
    /// The 1-, 5- and 15-minute load averages when the measured phase started.
    var loadAtStart: [Double]
    var waitedSeconds: Double
    /// False when the wait ran out with the load still above the limit (the phase ran anyway).
    var quiet: Bool
    var maxLoad: Double

    /// Checks /proc/loadavg every 15 s while the 1-minute average is above `maxLoad`, for at most
    /// `limit` seconds (0: no check).
    static func wait(maxLoad: Double, limit: Double, log: (String) -> Void) async -> LoadGate {
        let start = Nanos.now()
        var load = Machine.loadAverage().first ?? 0
        if limit > 0 {
            while load > maxLoad {
                let waited = Nanos.seconds(Nanos.now() - start)
                guard waited + 15 <= limit else { break }
                log("load average \(String(format: "%.2f", load)) > \(maxLoad): waiting for a quiet machine "
                    + "(\(Int(waited)) of \(Int(limit)) s)")
                try? await Task.sleep(for: .seconds(15))
                load = Machine.loadAverage().first ?? 0
            }
        }
        let averages = Machine.loadAverage()
        return LoadGate(loadAtStart: averages, waitedSeconds: Nanos.seconds(Nanos.now() - start),
                        quiet: (averages.first ?? 0) <= maxLoad, maxLoad: maxLoad)
    }

    var summary: String {
        "load average \(Machine.format(loadAtStart))"
            + (waitedSeconds >= 1 ? " after waiting \(Int(waitedSeconds)) s" : "")
            + (quiet ? "" : " (above \(maxLoad): figures pessimistic)")
    }
}
