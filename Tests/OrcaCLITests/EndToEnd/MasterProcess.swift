import Foundation
import OrcaClient
import OrcaTesting

/// A real `orca master` on 127.0.0.1 with its own data directory, and `kubecfg` pointed at it.
///
/// A watchdog (`sh` reading a pipe this process holds) sends the master SIGTERM if the test
/// runner dies without stopping it (killed by a timeout), so no master outlives its test.
///
/// `@unchecked Sendable`: the `Process`es are only asked for their pids and whether they run.
final class MasterProcess: @unchecked Sendable {
    let url: String
    let directory: URL
    private let process: Process
    private let logURL: URL
    private var watchdog: (process: Process, pipe: Pipe)?

    private init(url: String, directory: URL, process: Process, logURL: URL) {
        self.url = url
        self.directory = directory
        self.process = process
        self.logURL = logURL
    }

    /// Starts a master, runs `body`, then stops the master (SIGTERM) and removes its directory,
    /// whether `body` succeeded or not.
    /// `controlLoops: false` runs the API server alone (`--no-control-loops`), for tests of the
    /// API itself that must not see the scheduler or controllers touch their objects.
    static func with<R>(controlLoops: Bool = true, _ body: (MasterProcess) async throws -> R) async throws -> R {
        let master = try await start(extraArguments: controlLoops ? [] : ["--no-control-loops"])
        let result: R
        do {
            result = try await body(master)
        } catch {
            _ = try? await master.stop()
            throw error
        }
        let status = try await master.stop()
        if status != 0 {
            throw Failure("the master exited with status \(status) on SIGTERM\n\(master.log)")
        }
        return result
    }

    static func start(extraArguments: [String] = []) async throws -> MasterProcess {
        let orca = try BuiltBinaries.path("orca")
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("orca-cli-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let port = try LocalMaster.freePort()
        let logURL = directory.appendingPathComponent("master.log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: orca)
        process.arguments = [
            "master", "--data-dir", directory.appendingPathComponent("data").path,
            "--listen", "127.0.0.1:\(port)",
        ] + extraArguments
        let log = try FileHandle(forWritingTo: logURL)
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let master = MasterProcess(url: "http://127.0.0.1:\(port)", directory: directory, process: process,
                                   logURL: logURL)
        do {
            try master.startWatchdog()
            try await master.waitUntilHealthy(limit: .seconds(30))
        } catch {
            _ = try? await master.stop()
            throw error
        }
        return master
    }

    /// `cat` ends when the pipe's last writer (this process) goes away, then kills the master.
    private func startWatchdog() throws {
        let pipe = Pipe()
        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        watchdog.arguments = ["-c", "cat >/dev/null; kill -TERM \(process.processIdentifier) 2>/dev/null"]
        watchdog.standardInput = pipe
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        try watchdog.run()
        self.watchdog = (watchdog, pipe)
    }

    /// Polls `/healthz` until it answers 200, the master exits, or `limit` passes.
    private func waitUntilHealthy(limit: Duration) async throws {
        // Fail fast on "connection refused" so this loop, not the client's retries, sets the pace.
        var configuration = OrcaClient.Configuration(baseURL: url)
        configuration.retryConnecting = false
        configuration.requestTimeout = .seconds(5)
        let client = OrcaClient.owned(configuration: configuration)
        let outcome = await pollHealthz(client, limit: limit)
        try await client.shutdown()
        if let failure = outcome { throw failure }
    }

    private func pollHealthz(_ client: OrcaClient, limit: Duration) async -> Failure? {
        let deadline = ContinuousClock.now + limit
        var lastError = "no answer yet"
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                return Failure("the master exited with status \(process.terminationStatus) before answering "
                    + "/healthz\n\(log)")
            }
            do {
                if try await client.send(method: "GET", path: "/healthz").status == 200 { return nil }
            } catch {
                lastError = String(describing: error)
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return Failure(
            "waited \(limit) for the master at \(url) to answer /healthz with 200; last: \(lastError)\n\(log)")
    }

    /// Sends SIGTERM to the master's pid, waits (at most 15 s, then SIGKILL), removes its
    /// directory, and returns its exit status.
    @discardableResult
    func stop() async throws -> Int32 {
        defer { try? FileManager.default.removeItem(at: directory) }
        if let watchdog {
            // The shell dies first, so the `kill` after `cat` never runs; closing the pipe then
            // ends `cat` (which Foundation waits for, as it holds the shell's stdio).
            kill(watchdog.process.processIdentifier, SIGKILL)
            try? watchdog.pipe.fileHandleForWriting.close()
            _ = try await ChildProcess.waitForExit(watchdog.process, limit: .seconds(5))
            self.watchdog = nil
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            if try await !ChildProcess.waitForExit(process, limit: .seconds(15)) {
                kill(process.processIdentifier, SIGKILL)
                _ = try await ChildProcess.waitForExit(process, limit: .seconds(5))
                throw Failure("the master did not stop within 15 s of SIGTERM\n\(log)")
            }
        }
        return process.terminationStatus
    }

    /// What the master logged so far.
    var log: String {
        "--- master log\n" + String(decoding: (try? Data(contentsOf: logURL)) ?? Data(), as: UTF8.self)
    }

    /// Runs the built `kubecfg` with `KUBERNETES_MASTER` set to this master.
    func kubecfg(_ arguments: String..., stdin: Data? = nil) async throws -> CommandResult {
        try await ChildProcess.run(
            BuiltBinaries.path("kubecfg"), arguments, environment: ["KUBERNETES_MASTER": url], stdin: stdin,
            directory: directory)
    }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
