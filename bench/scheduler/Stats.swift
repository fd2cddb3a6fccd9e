import BenchSupport

/// CPU used by each party over an interval, in percent of one core (200 = both cores of two).
struct CPUShare: Codable, Sendable {
    var masterPercent: Double
    var hollowPercent: Double
    var benchPercent: Double
    /// Everything else on the machine: other processes, interrupts (loopback TCP), steal.
    var otherPercent: Double
    var masterSeconds: Double
    var hollowSeconds: Double
    var benchSeconds: Double

    /// CPU counters at one moment; the difference of two is a share.
    struct Mark: Sendable {
        var at = Nanos.now()
        var master: Double
        var hollow: Double
        var bench = CPUTime.ownSeconds()
        var machineBusy = CPUTime.machineSeconds().busy

        init(master: Int32, hollows: [Int32]) {
            self.master = CPUTime.processSeconds(master)
            hollow = hollows.reduce(0) { $0 + CPUTime.processSeconds($1) }
        }
    }

    init(from start: Mark, to end: Mark) {
        let elapsed = max(Nanos.seconds(end.at - start.at), 1e-9)
        masterSeconds = end.master - start.master
        hollowSeconds = end.hollow - start.hollow
        benchSeconds = end.bench - start.bench
        masterPercent = 100 * masterSeconds / elapsed
        hollowPercent = 100 * hollowSeconds / elapsed
        benchPercent = 100 * benchSeconds / elapsed
        otherPercent = max(0, 100 * (end.machineBusy - start.machineBusy) / elapsed
            - masterPercent - hollowPercent - benchPercent)
    }
}
