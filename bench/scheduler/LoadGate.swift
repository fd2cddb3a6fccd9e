import BenchSupport
import Foundation

/// Waits for a quiet machine: other engineers build and benchmark on the same cores, and a
/// scheduling run sharing them measures the sharing, not orca.
struct LoadGate: Codable, Sendable {
    /// The 1-minute load average when the check began.
    var loadBefore: Double
    /// The 1-, 5- and 15-minute load averages when the measured run started.
    var loadAtStart: [Double]
    var waitedSeconds: Double
    /// False when the wait ran out with the load still above the limit (the run went ahead anyway).
    var quiet: Bool
    var maxLoad: Double

    /// Checks /proc/loadavg every 30 s while the 1-minute average is above `maxLoad`, for at most
    /// `limit` seconds (0: no check).
    static func wait(maxLoad: Double, limit: Double, log: (String) -> Void) async -> LoadGate {
        let start = Nanos.now()
        let first = Machine.loadAverage().first ?? 0
        var load = first
        if limit > 0 {
            while load > maxLoad {
                let waited = Nanos.seconds(Nanos.now() - start)
                guard waited + 30 <= limit else { break }
                log("load average \(String(format: "%.2f", load)) > \(maxLoad): waiting for a quiet machine "
                    + "(\(Int(waited)) of \(Int(limit)) s)")
                try? await Task.sleep(for: .seconds(30))
                load = Machine.loadAverage().first ?? 0
            }
        }
        let averages = Machine.loadAverage()
        let gate = LoadGate(loadBefore: first, loadAtStart: averages, waitedSeconds: Nanos.seconds(Nanos.now() - start),
                            quiet: (averages.first ?? 0) <= maxLoad, maxLoad: maxLoad)
        if !gate.quiet && limit > 0 {
            log("the load average is still \(String(format: "%.2f", averages.first ?? 0)) after "
                + "\(Int(gate.waitedSeconds)) s; measuring anyway (the report says so)")
        }
        return gate
    }

    var summary: String {
        "load average at start \(loadAtStart.map { String(format: "%.2f", $0) }.joined(separator: " "))"
            + (waitedSeconds >= 1 ? " after waiting \(Int(waitedSeconds)) s" : "")
            + (quiet ? "" : " (ABOVE the \(maxLoad) limit: figures pessimistic)")
    }
}
