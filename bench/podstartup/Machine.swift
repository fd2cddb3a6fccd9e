import Foundation
import Glibc

/// The machine the figures were measured on, as BENCHMARKS.md records it.
/// (Adapted from bench/scheduler/Machine.swift.)
struct Machine: Codable, Sendable {
    var processors: Int
    var memoryMB: Int
    var kernel: String
    var cpuModel: String
    var runc: String
    /// 1-, 5- and 15-minute load averages when the description was taken.
    var loadAverage: [Double]

    static func describe(runc: String) -> Machine {
        let meminfo = read("/proc/meminfo")
        let memKB = field(meminfo, "MemTotal").flatMap { Int($0.split(separator: " ").first ?? "") } ?? 0
        return Machine(
            processors: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))),
            memoryMB: memKB / 1024,
            kernel: read("/proc/sys/kernel/osrelease").trimmingCharacters(in: .whitespacesAndNewlines),
            cpuModel: field(read("/proc/cpuinfo"), "model name") ?? "unknown",
            runc: runc,
            loadAverage: loadAverage())
    }

    var summary: String {
        "\(processors) CPUs (\(cpuModel)), \(memoryMB) MB RAM, Linux \(kernel), \(runc); load average "
            + Self.format(loadAverage)
    }

    /// The first three fields of /proc/loadavg.
    static func loadAverage() -> [Double] {
        read("/proc/loadavg").split(separator: " ").prefix(3).compactMap { Double($0) }
    }

    static func format(_ load: [Double]) -> String {
        load.map { String(format: "%.2f", $0) }.joined(separator: " ")
    }

    static func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// The value of `name: value` lines (/proc/meminfo, /proc/cpuinfo, /proc/PID/status).
    static func field(_ text: String, _ name: String) -> String? {
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            guard line[..<colon].trimmingCharacters(in: .whitespaces) == name else { continue }
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
}

/// Memory and CPU time of one process, from /proc/PID/status and /proc/PID/stat.
struct ProcessReading: Codable, Sendable {
    /// `comm` of the process, to show the reading is of the right one (`orca`).
    var command: String
    var rssMB: Double
    /// VmHWM: the peak resident set so far.
    var peakMB: Double
    /// The resident set split: anonymous memory (heaps, stacks) and file pages (the mapped binary and libraries).
    var anonymousMB: Double
    var fileMB: Double
    var threads: Int
    /// User + system CPU seconds of the process itself.
    var cpuSeconds: Double
    /// User + system CPU seconds of its children it has reaped (runc, CNI plugins, ip).
    var childrenCPUSeconds: Double

    static func of(_ pid: Int32) -> ProcessReading {
        let status = Machine.read("/proc/\(pid)/status")
        func kilobytes(_ name: String) -> Int {
            Int(Machine.field(status, name)?.split(separator: " ").first ?? "") ?? 0
        }
        let cpu = cpuSeconds(pid)
        return ProcessReading(
            command: Machine.read("/proc/\(pid)/comm").trimmingCharacters(in: .whitespacesAndNewlines),
            rssMB: Double(kilobytes("VmRSS")) / 1024, peakMB: Double(kilobytes("VmHWM")) / 1024,
            anonymousMB: Double(kilobytes("RssAnon")) / 1024, fileMB: Double(kilobytes("RssFile")) / 1024,
            threads: Int(Machine.field(status, "Threads") ?? "") ?? 0,
            cpuSeconds: cpu.own, childrenCPUSeconds: cpu.children)
    }

    /// utime + stime and cutime + cstime from /proc/PID/stat (fields 14-17, in clock ticks).
    private static func cpuSeconds(_ pid: Int32) -> (own: Double, children: Double) {
        let stat = Machine.read("/proc/\(pid)/stat")
        // The command name (field 2) may hold spaces; count fields after its closing parenthesis.
        guard let close = stat.lastIndex(of: ")") else { return (0, 0) }
        let fields = stat[stat.index(after: close)...].split(separator: " ").compactMap { Double($0) }
        // fields[0] is field 4 (ppid; field 3, the state, is not a number), so field 14 is fields[10].
        guard fields.count > 14 else { return (0, 0) }
        let tick = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ((fields[10] + fields[11]) / tick, (fields[12] + fields[13]) / tick)
    }
}
