import Foundation
import Glibc

/// The machine the figures were measured on, as BENCHMARKS.md records it.
/// (Adapted from bench/api/Machine.swift, with the load average.)
struct Machine: Codable, Sendable {
    var processors: Int
    var memoryMB: Int
    var kernel: String
    var cpuModel: String
    /// 1-, 5- and 15-minute load averages when the description was taken.
    var loadAverage: [Double]
    var openFilesLimit: String

    static func describe() -> Machine {
        let meminfo = read("/proc/meminfo")
        let memKB = field(meminfo, "MemTotal").flatMap { Int($0.split(separator: " ").first ?? "") } ?? 0
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return Machine(
            processors: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))),
            memoryMB: memKB / 1024,
            kernel: read("/proc/sys/kernel/osrelease").trimmingCharacters(in: .whitespacesAndNewlines),
            cpuModel: field(read("/proc/cpuinfo"), "model name") ?? "unknown",
            loadAverage: loadAverage(),
            openFilesLimit: "\(limit.rlim_cur) soft / \(limit.rlim_max) hard")
    }

    var summary: String {
        "\(processors) CPUs (\(cpuModel)), \(memoryMB) MB RAM, Linux \(kernel); load average "
            + loadAverage.map { String(format: "%.2f", $0) }.joined(separator: " ")
            + "; open files \(openFilesLimit)"
    }

    /// The first three fields of /proc/loadavg.
    static func loadAverage() -> [Double] {
        read("/proc/loadavg").split(separator: " ").prefix(3).compactMap { Double($0) }
    }

    /// Raises the soft open-files limit to `wanted` (never above the hard limit); children inherit it.
    static func raiseOpenFilesLimit(to wanted: Int) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        let target = min(rlim_t(wanted), limit.rlim_max)
        if limit.rlim_cur < target {
            limit.rlim_cur = target
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return Int(limit.rlim_cur)
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
    var rssMB: Double
    /// VmHWM: the peak resident set so far.
    var peakMB: Double
    var threads: Int
    /// User + system CPU seconds used since the process started.
    var cpuSeconds: Double

    static func of(_ pid: Int32) -> ProcessReading {
        let status = Machine.read("/proc/\(pid)/status")
        func kilobytes(_ name: String) -> Int {
            Int(Machine.field(status, name)?.split(separator: " ").first ?? "") ?? 0
        }
        return ProcessReading(rssMB: Double(kilobytes("VmRSS")) / 1024, peakMB: Double(kilobytes("VmHWM")) / 1024,
                              threads: Int(Machine.field(status, "Threads") ?? "") ?? 0,
                              cpuSeconds: CPUTime.processSeconds(pid))
    }
}

/// CPU time used so far, in seconds. (From bench/api/Machine.swift.)
enum CPUTime {
    static func ownSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// utime + stime from /proc/PID/stat (fields 14 and 15, in clock ticks).
    static func processSeconds(_ pid: Int32) -> Double {
        let stat = Machine.read("/proc/\(pid)/stat")
        // The command name (field 2) may hold spaces; count fields after its closing parenthesis.
        guard let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state), so field 14 is fields[11].
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// CPU seconds of the whole machine from the first line of /proc/stat: busy (user, nice, system,
    /// irq, softirq, steal) and idle (idle, iowait).
    static func machineSeconds() -> (busy: Double, idle: Double) {
        let first = Machine.read("/proc/stat").split(separator: "\n").first ?? ""
        let t = first.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard t.count >= 8 else { return (0, 0) }
        let tick = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ((t[0] + t[1] + t[2] + t[5] + t[6] + t[7]) / tick, (t[3] + t[4]) / tick)
    }

    private static func seconds(_ time: timeval) -> Double {
        Double(time.tv_sec) + Double(time.tv_usec) / 1e6
    }
}
