// bench-api: whole-system benchmark of `orca master` (see README.md in this directory).
import BenchSupport
import AsyncHTTPClient
import Foundation

let options: Options
do {
    options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("bench-api: \(error)\n".utf8))
    exit(2)
}

/// The orca binary: the flag, else next to this executable, else the usual scratch path.
func findOrca() throws -> String {
    if let path = options.orca { return path }
    let own = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    let candidates = [own.deletingLastPathComponent().appendingPathComponent("orca").path, ".build-bench/release/orca"]
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        throw BenchError("no orca binary at \(candidates.joined(separator: " or ")); build it with "
            + "`swift build -c release --scratch-path .build-bench --product orca` or pass --orca PATH")
    }
    return found
}

func log(_ message: String) {
    FileHandle.standardError.write(Data("bench-api: \(message)\n".utf8))
}

/// Runs every part; the master is stopped and the temp directory removed whatever happens.
func runBenchmark() async throws -> Report {
    let orca = try findOrca()
    let temp = FileManager.default.temporaryDirectory.appendingPathComponent("orca-bench-api-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: temp) }
    // Each watcher holds a socket here and one in the master, which inherits the limit.
    let wantedFiles = 2 * (options.watchers + options.clients) + 1_000
    let files = Machine.raiseOpenFilesLimit(to: wantedFiles)
    if files < wantedFiles { log("open files limit is \(files), below the \(wantedFiles) wanted; watchers may fail") }

    var report = Report(
        date: ISO8601DateFormatter().string(from: Date()), command: Options.commandLine,
        machine: Machine.describe(tempDirectory: temp.path), orcaBinary: orca, clients: options.clients)
    log(report.machine.summary)

    log("baseline: raw SQLite durable writes")
    for batch in [1, options.baselineBatch] {
        report.baseline.append(try SQLiteBaseline.run(directory: temp.appendingPathComponent("baseline"),
                                                      seconds: options.baselineSeconds, batch: batch))
    }
    try? FileManager.default.removeItem(at: temp.appendingPathComponent("baseline"))

    let http = APIClient.makeHTTPClient(connections: options.clients)
    let master: MasterProcess
    do {
        master = try await MasterProcess.start(binary: orca, parent: temp, logLevel: options.masterLogLevel,
                                               extraArguments: options.masterArguments, client: http)
    } catch {
        try? await http.shutdown()
        throw error
    }
    do {
        try await Task.sleep(for: .seconds(1))
        var memory = Report.Memory(idle: master.memory())
        report.masterCommand = master.commandLine
        log("master pid \(master.pid) at \(master.url), idle RSS \(Report.format(memory.idle.rssMB, 1)) MB")

        let api = APIClient(http: http, base: master.url)
        log("API load: \(options.clients) clients")
        let load = APILoad(api: api, master: master, options: options)
        report.phases = try await load.run()
        log("waiting until the master stops writing (its control loops)")
        report.settle = await load.settle(limit: 300)
        memory.afterLoad = master.memory()

        log("watch fan-out: \(options.watchers) watchers")
        report.watch = try await WatchFanout(api: api, master: master, options: options).run()
        try await Task.sleep(for: .seconds(2))
        memory.afterWatch = master.memory()
        report.memory = memory
    } catch {
        log("failed: \(error)")
        let status = await master.stop()
        try? await http.shutdown()
        throw BenchError("\(error)\nmaster exit status \(status); its log:\n\(master.log.suffix(4_000))")
    }
    report.masterExitStatus = await master.stop()
    try? await http.shutdown()
    let masterLog = master.log
    if !masterLog.isEmpty { log("the master logged:\n\(masterLog.suffix(2_000))") }
    report.evaluateGoals()
    return report
}

do {
    let report = try await runBenchmark()
    print(report.table)
    // Not inside bench/api: SwiftPM warns about files in a target's directory that are not sources.
    let path = options.json ?? (FileManager.default.fileExists(atPath: "bench/api") && !options.quick
        ? "bench/results/api.json" : FileManager.default.temporaryDirectory.appendingPathComponent(
            "orca-bench-api-results.json").path)
    if options.json == nil && path.hasPrefix("bench/") {
        try FileManager.default.createDirectory(atPath: "bench/results", withIntermediateDirectories: true)
    }
    try report.write(to: path)
    print("results written to \(path)")
} catch {
    log("\(error)")
    exit(1)
}
