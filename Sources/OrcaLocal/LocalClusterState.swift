import Foundation
import OrcaRuntime

/// What `orca up` started, written to `<data-dir>/cluster.json` so `orca down` and `orca
/// status` (other processes) find it. A process is recorded with its start time as the
/// kernel counts it, so a recycled PID is never mistaken for ours.
struct LocalClusterState: Codable, Sendable {
    struct Daemon: Codable, Sendable {
        var role: String
        var pid: Int32
        /// Field 22 of /proc/PID/stat (clock ticks since boot).
        var startTime: UInt64
        var log: String
    }

    var layout: LocalClusterLayout
    var daemons: [Daemon]
    /// The user's kubeconfig this cluster's context was merged into (`orca down` takes it out).
    var mergedKubeconfig: String?
    /// The context that was current in it before.
    var previousContext: String?

    static func path(_ directory: URL) -> URL { directory.appendingPathComponent("cluster.json") }

    static func load(_ directory: URL) -> LocalClusterState? {
        guard let data = try? Data(contentsOf: path(directory)) else { return nil }
        return try? JSONDecoder().decode(LocalClusterState.self, from: data)
    }

    func save(_ directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: Self.path(directory), options: .atomic)
    }

    /// The process's start time, nil when it does not exist.
    static func startTime(of pid: Int32) -> UInt64? {
        guard let stat = ProcFile.read("/proc/\(pid)/stat"),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, so starttime (field 22) is index 19.
        guard fields.count > 19, fields[0] != "Z" else { return nil }
        return UInt64(fields[19])
    }

    static func isAlive(_ daemon: Daemon) -> Bool { startTime(of: daemon.pid) == daemon.startTime }
}
