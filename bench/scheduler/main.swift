// bench-scheduler: whole-system scheduling benchmark of `orca master` with hollow minions
// (see README.md in this directory).
import BenchSupport
import AsyncHTTPClient
import Foundation

let options: Options
do {
    options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("bench-scheduler: \(error)\n".utf8))
    exit(2)
}

@Sendable func log(_ message: String) {
    let stamp = String(format: "%.1f", Nanos.seconds(Nanos.now() - startedAt))
    FileHandle.standardError.write(Data("bench-scheduler [\(stamp) s]: \(message)\n".utf8))
}

let startedAt = Nanos.now()

/// The orca binary: the flag, else next to this executable, else the usual scratch path.
func findOrca() throws -> String {
    if let path = options.orca { return path }
    let own = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    let candidates = [own.deletingLastPathComponent().appendingPathComponent("orca").path,
                      ".build-bsched/release/orca"]
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        throw BenchError("no orca binary at \(candidates.joined(separator: " or ")); build it with "
            + "`swift build -c release --scratch-path .build-bsched --product orca` or pass --orca PATH")
    }
    return found
}

/// Runs the scenarios; every child is stopped and the temp directory removed whatever happens.
func runBenchmark() async throws -> Report {
    let orca = try findOrca()
    try Watchdog.shared.start()
    let temp = FileManager.default.temporaryDirectory
        .appendingPathComponent("orca-bench-scheduler-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: temp) }
    // Watches and keep-alive connections of 1,000 minions and the controllers, in the master.
    _ = Machine.raiseOpenFilesLimit(to: 16_384)

    var report = Report(date: ISO8601DateFormatter().string(from: Date()), command: Options.commandLine,
                        machine: Machine.describe(), orcaBinary: orca)
    log(report.machine.summary)
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool = .init(idleTimeout: .seconds(120), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
    configuration.timeout = .init(connect: .seconds(10))
    configuration.httpVersion = .http1Only
    let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    do {
        if options.scenario != .minionLoss {
            report.throughput = try await Throughput(
                options: options, orca: orca, directory: temp.appendingPathComponent("throughput"), client: http,
                log: log).run()
        }
        if options.scenario != .throughput {
            report.minionLoss = try await MinionLoss(
                options: options, orca: orca, directory: temp.appendingPathComponent("loss"), client: http,
                log: log).run()
        }
    } catch {
        try? await http.shutdown()
        throw error
    }
    try? await http.shutdown()
    report.evaluateGoals()
    return report
}

do {
    let report = try await runBenchmark()
    Watchdog.shared.finish()
    print(report.table)
    // Not in bench/scheduler: a JSON file in a target's directory makes SwiftPM warn about it.
    let path = options.json ?? (FileManager.default.fileExists(atPath: "bench/results")
        ? "bench/results/scheduler.json"
        : FileManager.default.temporaryDirectory.appendingPathComponent("orca-bench-scheduler-results.json").path)
    try report.write(to: path)
    print("results written to \(path)")
} catch {
    Watchdog.shared.finish()
    log("\(error)")
    exit(1)
}
