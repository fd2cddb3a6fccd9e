import Foundation
import OrcaRuntime
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Debian's `docker-registry` (Distribution 2.8) on 127.0.0.1 with a free port, storage in
/// a temporary directory, no auth: the real registry the pull tests talk to (over plain
/// HTTP, so the store must list it as insecure).
///
/// Use ``with(_:)``, which stops the registry (SIGTERM, then SIGKILL) and removes its
/// directory however the body ends.
public final class TestRegistry: Sendable {
    /// `127.0.0.1:PORT`, as an image reference's registry part.
    public let host: String
    public let port: Int
    public let directory: URL
    private let pid: pid_t
    private let stopped = Mutex(false)

    private init(host: String, port: Int, directory: URL, pid: pid_t) {
        self.host = host
        self.port = port
        self.directory = directory
        self.pid = pid
    }

    /// Runs `body` with a fresh registry.
    public static func with<R: Sendable>(_ body: (TestRegistry) async throws -> R) async throws -> R {
        let registry = try await start()
        do {
            let result = try await body(registry)
            await registry.stop()
            return result
        } catch {
            await registry.stop()
            throw error
        }
    }

    /// Starts a registry and waits until `/v2/` answers. It listens on `address`: the loopback,
    /// or the host end of a test's veth so a minion namespace can reach it.
    public static func start(address: String = "127.0.0.1") async throws -> TestRegistry {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("orca-registry-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var lastError: any Error = FixtureError("docker-registry did not start")
        // A port found free can be taken before the registry binds it; try a few.
        for _ in 0..<3 {
            let port = try LoopbackHTTP.freePort()
            let config = """
                version: 0.1
                log:
                  level: error
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: \(directory.path)/storage
                  delete:
                    enabled: true
                http:
                  addr: \(address):\(port)
                  secret: orca-test
                """
            let configFile = directory.appendingPathComponent("config.yml")
            try config.write(to: configFile, atomically: true, encoding: .utf8)
            let log = open(directory.appendingPathComponent("registry.log").path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            defer { close(log) }
            let pid = try Reaper.shared.spawn("/usr/bin/docker-registry", arguments: ["serve", configFile.path],
                                              stdout: log, stderr: log)
            let registry = TestRegistry(host: "\(address):\(port)", port: port, directory: directory, pid: pid)
            let deadline = ContinuousClock.now + .seconds(15)
            while ContinuousClock.now < deadline {
                if LoopbackHTTP.status(port: port, path: "/v2/", host: address) == 200 { return registry }
                if Reaper.shared.exitStatus(of: pid) != nil { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            let logFile = directory.appendingPathComponent("registry.log")
            let output = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            lastError = FixtureError("docker-registry on port \(port) did not answer /v2/: \(output)")
            await registry.stopProcess()
        }
        try? FileManager.default.removeItem(at: directory)
        throw lastError
    }

    /// Pushes `tag` of the OCI layout as `name:pushedTag` (`--all` keeps every manifest of an
    /// index). `dockerFormat` converts to Docker's schema 2 types on the way, as images built
    /// by `docker build` are.
    public func push(layout: URL, tag: String, as name: String, pushedTag: String? = nil,
                     dockerFormat: Bool = false) async throws {
        try await Command("/usr/bin/skopeo", [
            "--insecure-policy", "copy", "--quiet", "--all", "--dest-tls-verify=false",
        ] + (dockerFormat ? ["--format", "v2s2"] : []) + [
            "oci:\(layout.path):\(tag)", "docker://\(host)/\(name):\(pushedTag ?? tag)",
        ]).run(timeout: .seconds(120))
    }

    /// The file the registry serves blob `digest` from, to corrupt it in a test.
    public func blobFile(_ digest: Digest) -> URL {
        directory.appendingPathComponent(
            "storage/docker/registry/v2/blobs/sha256/\(digest.hex.prefix(2))/\(digest.hex)/data")
    }

    /// Stops the registry and removes its directory; later calls do nothing (the PID may
    /// belong to another process by then).
    public func stop() async {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        await stopProcess()
        try? FileManager.default.removeItem(at: directory)
    }

    private func stopProcess() async {
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(5)
        while Reaper.shared.exitStatus(of: pid) == nil && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if Reaper.shared.exitStatus(of: pid) == nil { kill(pid, SIGKILL) }
        _ = await Reaper.shared.wait(for: pid)
    }
}
