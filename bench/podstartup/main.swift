// bench-podstartup: pod startup latency on one real minion, with raw `runc run` as the floor
// (see README.md in this directory).
import BenchSupport
import Foundation
import OrcaRuntime
import OrcaTesting

let options: Options
do {
    options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("bench-podstartup: \(error)\n".utf8))
    exit(2)
}

let startedAt = Nanos.now()

@Sendable func log(_ message: String) {
    let stamp = String(format: "%.1f", Nanos.seconds(Nanos.now() - startedAt))
    FileHandle.standardError.write(Data("bench-podstartup [\(stamp) s]: \(message)\n".utf8))
}

/// The release `orca` the fixture must start: `--orca-bin-dir`, else the one next to this
/// executable. Exported as ORCA_BIN_DIR, which ``BuiltBinaries`` searches first (its last
/// resort is the debug build, which must never be measured).
func chooseOrca() throws -> String {
    let own = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
    let directory = options.orcaBinDir ?? own
    let orca = directory + "/orca"
    // `orca minion` execs the orca-minion beside orca: that is the process measured.
    for name in ["orca", "orca-minion"] where !FileManager.default.isExecutableFile(atPath: directory + "/" + name) {
        throw BenchError("no \(name) at \(directory); build it with `swift build -c release --scratch-path "
            + ".build-podbench --product \(name)` or pass --orca-bin-dir DIR")
    }
    setenv("ORCA_BIN_DIR", directory, 1)
    return orca
}

func runBenchmark() async throws -> Report {
    let missing = MinionFixture.missing
    guard missing.isEmpty else { throw BenchError("cannot run here: missing \(missing.joined(separator: ", "))") }
    let orca = try chooseOrca()
    // As in `orca minion`: the containers' init processes become this process's children.
    try Reaper.shared.becomeSubreaper()
    let runc = try await Command("/usr/sbin/runc", ["--version"]).run()
    let runcVersion = String(decoding: runc, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? "runc"
    var report = Report(date: ISO8601DateFormatter().string(from: Date()), command: Options.commandLine,
                        machine: Machine.describe(runc: runcVersion), orcaBinary: orca)
    log(report.machine.summary)
    if options.phases.contains(.floor) {
        report.floor = try await RuncFloor(options: options, log: log).run()
    }
    if options.phases.contains(.sequential) || options.phases.contains(.burst) {
        report.minion = try await MinionPhases(options: options, log: log).run()
    }
    if options.phases.contains(.steps) {
        report.sandbox = try await SandboxSteps(options: options, log: log).run()
    }
    report.evaluateGoals()
    return report
}

do {
    let report = try await runBenchmark()
    print(report.table)
    // Not in bench/podstartup: a JSON file in a target's directory makes SwiftPM warn about it.
    let path = options.json ?? (FileManager.default.fileExists(atPath: "bench/results")
        ? "bench/results/podstartup.json"
        : FileManager.default.temporaryDirectory.appendingPathComponent("orca-bench-podstartup.json").path)
    try report.write(to: path)
    print("results written to \(path)")
} catch {
    log("\(error)")
    exit(1)
}
