import Foundation

/// Direct and proxied runs of one measurement, over every round.
struct Pair<Result: Codable & Sendable>: Codable, Sendable {
    var direct: [Result] = []
    var proxy: [Result] = []

    mutating func add(direct d: Result, proxy p: Result) {
        direct.append(d)
        proxy.append(p)
    }
}

/// Everything measured, as printed and as written to JSON.
struct Report: Codable, Sendable {
    var machine: Machine
    var loadBefore: String
    var loadAfter = ""
    var seconds: Double
    var bulkConnections: Int
    var transferBytes: Int
    var messageBytes: Int
    var rateConnections: Int
    var bulk = Pair<BulkResult>()
    var latency = Pair<RequestResult>()
    var rate = Pair<RequestResult>()
    var connectEach = Pair<RequestResult>()
    var reconcile: ReconcileResult?

    init(machine: Machine, loadBefore: String, options: Options) {
        self.machine = machine
        self.loadBefore = loadBefore
        seconds = options.seconds
        bulkConnections = options.bulkConnections
        transferBytes = options.transferBytes
        messageBytes = options.messageBytes
        rateConnections = options.rateConnections
    }

    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path))
    }

    private static func median(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.sorted()[values.count / 2]
    }

    private static func f(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

    private static func row(_ cells: [String]) -> String {
        let widths = [44, 14, 14, 16]
        return zip(cells, widths).map { cell, width in
            cell.count >= width ? cell + " " : cell + String(repeating: " ", count: width - cell.count)
        }.joined()
    }

    func table() -> String {
        var lines: [String] = []
        lines.append("machine: \(machine.summary)")
        lines.append("load average before \(loadBefore), after \(loadAfter)")
        if !bulk.direct.isEmpty {
            let rounds = bulk.direct.count
            lines.append("")
            lines.append(Self.row(["traffic (\(rounds) rounds of \(Self.f(seconds)) s each, median)", "direct", "proxy",
                                   "proxy vs direct"]))
            let bd = Self.median(bulk.direct.map(\.mibPerSecond)), bp = Self.median(bulk.proxy.map(\.mibPerSecond))
            lines.append(Self.row(["\(transferBytes >> 10) KiB transfers, \(bulkConnections) conns (MiB/s)",
                                   Self.f(bd), Self.f(bp), Self.f(bp / bd * 100) + " %"]))
            let td = Self.median(bulk.direct.map(\.perTransfer.p50us))
            let tp = Self.median(bulk.proxy.map(\.perTransfer.p50us))
            lines.append(Self.row(["  per transfer p50 (µs)", Self.f(td), Self.f(tp), "+" + Self.f(tp - td)]))
            for (label, pair) in [("\(messageBytes) B request/response, 1 conn", latency),
                                  ("\(messageBytes) B req/resp, \(rateConnections) conns", rate),
                                  ("new connection + \(messageBytes) B req/resp", connectEach)] {
                let rd = Self.median(pair.direct.map(\.perSecond)), rp = Self.median(pair.proxy.map(\.perSecond))
                lines.append(Self.row([label + " (req/s)", Self.f(rd, 0), Self.f(rp, 0), Self.f(rp / rd * 100) + " %"]))
                let p50d = Self.median(pair.direct.map(\.latency.p50us))
                let p50p = Self.median(pair.proxy.map(\.latency.p50us))
                let p99d = Self.median(pair.direct.map(\.latency.p99us))
                let p99p = Self.median(pair.proxy.map(\.latency.p99us))
                lines.append(Self.row(["  p50 (µs)", Self.f(p50d), Self.f(p50p), "+" + Self.f(p50p - p50d)]))
                lines.append(Self.row(["  p99 (µs)", Self.f(p99d), Self.f(p99p), "+" + Self.f(p99p - p99d)]))
            }
            let errors = [bulk.direct.map(\.errors), bulk.proxy.map(\.errors), latency.direct.map(\.errors),
                          latency.proxy.map(\.errors), rate.direct.map(\.errors), rate.proxy.map(\.errors),
                          connectEach.direct.map(\.errors), connectEach.proxy.map(\.errors)]
                .flatMap { $0 }.reduce(0, +)
            lines.append("connection errors: \(errors)")
        }
        if let r = reconcile {
            lines.append("")
            lines.append("reconcile: \(r.services) services x \(r.endpointsPerService) endpoints (ms)")
            lines.append("  build rules from Service+Endpoints objects   \(Self.f(r.buildRulesMs, 2))")
            lines.append("  open every listener (first apply)           \(Self.f(r.openAllMs, 2))")
            lines.append("  swap every service's endpoints              \(Self.f(r.swapAllMs, 2))")
            lines.append("  one service changed: build + apply          \(Self.f(r.changeOneMs, 2))")
            lines.append("  change -> applied (with \(Self.f(r.coalesceDelayMs, 0)) ms coalescing)   "
                         + Self.f(r.changeToAppliedMs, 2))
            lines.append("  close every listener                        \(Self.f(r.closeAllMs, 2))")
            lines.append("  listeners that failed                       \(r.failedListeners)")
        }
        return lines.joined(separator: "\n")
    }
}

/// The machine the figures were measured on.
struct Machine: Codable, Sendable {
    var processors: Int
    var cpuModel: String
    var kernel: String

    static func describe() -> Machine {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        let kernel = ((try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return Machine(processors: ProcessInfo.processInfo.activeProcessorCount, cpuModel: model, kernel: kernel)
    }

    var summary: String { "\(processors) CPUs (\(cpuModel)), Linux \(kernel)" }
}
