import Foundation
import OrcaClient
import OrcaRuntime

/// A real `orca master` (the built binary) on a free loopback port with its own data
/// directory, as a user runs it; and the built `kubecfg` pointed at it.
public final class MasterProcess: Sendable {
    public let url: String
    public let port: Int
    /// Holds the data directory (unless one was given) and the log.
    public let directory: URL
    public let dataDir: URL
    public let daemon: DaemonProcess
    private let ownsDirectory: Bool

    private init(host: String, port: Int, directory: URL, dataDir: URL, daemon: DaemonProcess, ownsDirectory: Bool) {
        self.url = "http://\(host):\(port)"
        self.port = port
        self.directory = directory
        self.dataDir = dataDir
        self.daemon = daemon
        self.ownsDirectory = ownsDirectory
    }

    /// Starts a master, runs `body`, then stops it (SIGTERM) and removes its directory, whether
    /// `body` succeeded or not; a master that does not exit 0 on SIGTERM fails the test.
    /// `controlLoops: false` runs the API server alone (`--no-control-loops`), for tests of the
    /// API itself that must not see the scheduler or controllers touch their objects.
    public static func with<R>(controlLoops: Bool = true, extraArguments: [String] = [],
                               _ body: (MasterProcess) async throws -> R) async throws -> R {
        let master = try await start(controlLoops: controlLoops, extraArguments: extraArguments)
        let result: R
        do {
            result = try await body(master)
        } catch {
            _ = try? await master.stop()
            throw error
        }
        let status = try await master.stop()
        guard status == .exited(0) else {
            throw DaemonError("the master ended with \(status) on SIGTERM\n\(master.log)")
        }
        return result
    }

    /// Starts a master and waits until `/healthz` answers. With `dataDir`, the data lives
    /// there (and survives ``stop()``, for restart tests); otherwise in a fresh temp directory.
    /// `host` is the address it listens on (a minion namespace's tests give the host end of its veth).
    public static func start(dataDir: URL? = nil, controlLoops: Bool = true, host: String = "127.0.0.1",
                             extraArguments: [String] = []) async throws -> MasterProcess {
        let orca = try BuiltBinaries.path("orca")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orca-master-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let data = dataDir ?? directory.appendingPathComponent("data")
        let port = try LocalMaster.freePort()
        let daemon = try DaemonProcess(orca, [
            "master", "--data-dir", data.path, "--listen", "\(host):\(port)", "--log-level", "warning",
        ] + (controlLoops ? [] : ["--no-control-loops"]) + extraArguments,
            logURL: directory.appendingPathComponent("master.log"))
        let master = MasterProcess(host: host, port: port, directory: directory, dataDir: data, daemon: daemon,
                                   ownsDirectory: true)
        do {
            try await master.waitUntilHealthy(limit: .seconds(30))
        } catch {
            _ = try? await master.stop()
            throw error
        }
        return master
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

    private func pollHealthz(_ client: OrcaClient, limit: Duration) async -> DaemonError? {
        let deadline = ContinuousClock.now + limit
        var lastError = "no answer yet"
        while ContinuousClock.now < deadline {
            if let status = daemon.exitStatus {
                return DaemonError("the master ended with \(status) before answering /healthz\n\(log)")
            }
            do {
                if try await client.send(method: "GET", path: "/healthz").status == 200 { return nil }
            } catch {
                lastError = String(describing: error)
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return DaemonError("waited \(limit) for the master at \(url) to answer /healthz with 200; last: \(lastError)\n\(log)")
    }

    /// SIGTERM (SIGKILL after 15 s, which throws), then removes the temp directory (the data
    /// too, unless it was given to ``start(dataDir:controlLoops:extraArguments:)``).
    @discardableResult
    public func stop() async throws -> ExitStatus {
        defer { if ownsDirectory { try? FileManager.default.removeItem(at: directory) } }
        return try await daemon.stop()
    }

    /// Sends a signal (SIGKILL for crash tests) without waiting.
    public func signal(_ signal: Int32) { daemon.signal(signal) }

    /// Waits for the master to exit on its own (after ``signal(_:)``); removes the temp directory.
    public func waitExit() async throws -> ExitStatus {
        let status = try await daemon.waitExit()
        _ = try? await stop()
        return status
    }

    /// What the master logged so far.
    public var log: String { daemon.log }

    /// Runs the built `kubecfg` with `KUBERNETES_MASTER` set to this master.
    public func kubecfg(_ arguments: String..., stdin: Data? = nil) async throws -> CommandResult {
        try await CommandResult.run(BuiltBinaries.path("kubecfg"), arguments,
                                    environment: ["KUBERNETES_MASTER": url], stdin: stdin)
    }
}
