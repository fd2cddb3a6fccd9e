import BenchSupport
import Foundation
import Glibc

/// The machine the figures were measured on, as BENCHMARKS.md records it.
struct Machine: Codable, Sendable {
    var processors: Int
    var memoryMB: Int
    var kernel: String
    var cpuModel: String
    /// The filesystem holding the temporary directories (the master's data and the baseline database).
    var tempDirectory: String
    var tempFilesystem: String
    var openFilesLimit: String

    static func describe(tempDirectory: String) -> Machine {
        let meminfo = Self.read("/proc/meminfo")
        let memKB = Self.field(meminfo, "MemTotal").flatMap { Int($0.split(separator: " ").first ?? "") } ?? 0
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return Machine(
            processors: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))),
            memoryMB: memKB / 1024,
            kernel: Self.read("/proc/sys/kernel/osrelease").trimmingCharacters(in: .whitespacesAndNewlines),
            cpuModel: Self.field(Self.read("/proc/cpuinfo"), "model name") ?? "unknown",
            tempDirectory: tempDirectory,
            tempFilesystem: Self.filesystem(of: tempDirectory),
            openFilesLimit: "\(limit.rlim_cur) soft / \(limit.rlim_max) hard")
    }

    var summary: String {
        "\(processors) CPUs (\(cpuModel)), \(memoryMB) MB RAM, Linux \(kernel); temp dir \(tempDirectory) on "
            + "\(tempFilesystem); open files \(openFilesLimit)"
    }

    /// Raises the soft open-files limit to `wanted` (never above the hard limit); the master inherits it.
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

    /// Device and type of the longest mount point containing `path`, from /proc/self/mounts.
    private static func filesystem(of path: String) -> String {
        var best: (mount: String, text: String) = ("", "unknown")
        for line in read("/proc/self/mounts").split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count >= 3 else { continue }
            let mount = String(parts[1])
            let inside = path == mount || path.hasPrefix(mount == "/" ? "/" : mount + "/")
            if inside && mount.count >= best.mount.count {
                best = (mount, "\(parts[2]) (\(parts[0]) at \(mount))")
            }
        }
        return best.text
    }
}

/// CPU time used so far, in seconds: this process (the clients), another (the master), the whole machine.
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

    /// CPU seconds of the whole machine from the first line of /proc/stat: time in processes (user, nice,
    /// system), in interrupts (irq, softirq: loopback TCP is mostly here), and stolen by the hypervisor.
    static func machineSeconds() -> (processes: Double, interrupts: Double, steal: Double) {
        let first = Machine.read("/proc/stat").split(separator: "\n").first ?? ""
        let t = first.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard t.count >= 8 else { return (0, 0, 0) }
        let tick = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ((t[0] + t[1] + t[2]) / tick, (t[5] + t[6]) / tick, t[7] / tick)
    }

    private static func seconds(_ time: timeval) -> Double {
        Double(time.tv_sec) + Double(time.tv_usec) / 1e6
    }
}

/// CPU used during an interval, in percent of one core (200 = both cores of a 2-core machine).
struct CPUShare: Codable, Sendable {
    var masterPercent: Double
    var benchPercent: Double
    /// Other processes on the machine (other engineers' builds, daemons).
    var otherPercent: Double
    /// Interrupt and softirq time, charged to no process (the loopback network stack runs much here).
    var interruptPercent: Double
    /// Time the hypervisor gave to other guests.
    var stealPercent: Double

    /// Starts measuring; `finish()` returns the shares since.
    struct Meter {
        let pid: Int32
        let start = Nanos.now()
        let master: Double
        let own = CPUTime.ownSeconds()
        let machine = CPUTime.machineSeconds()

        init(pid: Int32) {
            self.pid = pid
            master = CPUTime.processSeconds(pid)
        }

        func finish() -> CPUShare {
            let elapsed = max(Nanos.seconds(Nanos.now() - start), 1e-9)
            let masterPercent = 100 * (CPUTime.processSeconds(pid) - master) / elapsed
            let benchPercent = 100 * (CPUTime.ownSeconds() - own) / elapsed
            let now = CPUTime.machineSeconds()
            return CPUShare(
                masterPercent: masterPercent, benchPercent: benchPercent,
                otherPercent: max(
                    0, 100 * (now.processes - machine.processes) / elapsed - masterPercent - benchPercent),
                interruptPercent: 100 * (now.interrupts - machine.interrupts) / elapsed,
                stealPercent: 100 * (now.steal - machine.steal) / elapsed)
        }
    }
}
