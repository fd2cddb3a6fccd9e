import BenchSupport
import AsyncHTTPClient
import Foundation
import Glibc
import NIOCore

/// The `orca master` under test: started on a temp data dir and a free loopback port, stopped by pid.
///
/// A watchdog (`sh` reading a pipe this process holds) sends the master SIGTERM if the benchmark dies
/// without stopping it, so no master outlives its run.
///
/// `@unchecked Sendable`: the `Process`es are only asked for their pids and whether they run.
final class MasterProcess: @unchecked Sendable {
    let url: String
    let pid: Int32
    let directory: URL
    let logPath: String
    /// The master's command line, for the report.
    let commandLine: String
    private let process: Process
    private var watchdog: (process: Process, pipe: Pipe)?

    private init(url: String, process: Process, directory: URL, logPath: String) {
        self.url = url
        self.commandLine = ([process.executableURL?.path ?? "orca"] + (process.arguments ?? [])).joined(separator: " ")
        self.process = process
        self.pid = process.processIdentifier
        self.directory = directory
        self.logPath = logPath
    }

    /// Starts the master in a new directory under `parent` and waits (at most 30 s) for `/healthz`.
    static func start(
        binary: String, parent: URL, logLevel: String, extraArguments: [String], client: HTTPClient
    ) async throws -> MasterProcess {
        let directory = parent.appendingPathComponent("master")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let port = try freePort()
        let logPath = directory.appendingPathComponent("master.log").path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "master", "--data-dir", directory.appendingPathComponent("data").path,
            "--listen", "127.0.0.1:\(port)", "--log-level", logLevel,
        ] + extraArguments
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let master = MasterProcess(url: "http://127.0.0.1:\(port)", process: process, directory: directory,
                                   logPath: logPath)
        do {
            try master.startWatchdog()
            try await master.waitUntilHealthy(client: client, limit: 30)
        } catch {
            _ = await master.stop()
            throw error
        }
        return master
    }

    var isRunning: Bool { process.isRunning }

    var log: String { Machine.read(logPath) }

    /// Resident memory now, its peak, and the thread count, from /proc/PID/status.
    func memory() -> MemoryReading {
        let status = Machine.read("/proc/\(pid)/status")
        func kilobytes(_ name: String) -> Int {
            Int(Machine.field(status, name)?.split(separator: " ").first ?? "") ?? 0
        }
        return MemoryReading(rssMB: Double(kilobytes("VmRSS")) / 1024, peakMB: Double(kilobytes("VmHWM")) / 1024,
                             anonymousMB: Double(kilobytes("RssAnon")) / 1024,
                             fileMB: Double(kilobytes("RssFile")) / 1024,
                             threads: Int(Machine.field(status, "Threads") ?? "") ?? 0)
    }

    /// Sends SIGTERM, waits (at most 15 s, then SIGKILL) and returns the exit status.
    func stop() async -> Int32 {
        if process.isRunning {
            kill(pid, SIGTERM)
            let deadline = Nanos.now() + 15_000_000_000
            while process.isRunning && Nanos.now() < deadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
            if process.isRunning {
                kill(pid, SIGKILL)
                for _ in 0..<250 where process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
            }
        }
        if let watchdog {
            try? watchdog.pipe.fileHandleForWriting.close()
            watchdog.process.waitUntilExit()
            self.watchdog = nil
        }
        return process.isRunning ? -1 : process.terminationStatus
    }

    /// `cat` ends when the pipe's last writer (this process) goes away, then terminates the master.
    private func startWatchdog() throws {
        let pipe = Pipe()
        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        watchdog.arguments = ["-c", "cat >/dev/null; kill -TERM \(pid) 2>/dev/null"]
        watchdog.standardInput = pipe
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        try watchdog.run()
        self.watchdog = (watchdog, pipe)
    }

    private func waitUntilHealthy(client: HTTPClient, limit: Double) async throws {
        let deadline = Nanos.now() + Nanos.from(seconds: limit)
        var last = "no answer yet"
        while Nanos.now() < deadline {
            guard process.isRunning else {
                throw BenchError("the master exited with status \(process.terminationStatus) before /healthz\n\(log)")
            }
            do {
                let response = try await client.execute(HTTPClientRequest(url: url + "/healthz"), timeout: .seconds(2))
                _ = try await response.body.collect(upTo: 1 << 16)
                if response.status.code == 200 { return }
                last = "HTTP \(response.status.code)"
            } catch {
                last = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchError("the master at \(url) did not answer /healthz within \(limit) s (last: \(last))\n\(log)")
    }

    /// A loopback port nobody listens on now (bound to port 0, read back, closed).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { throw BenchError("binding a loopback port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct MemoryReading: Codable, Sendable {
    var rssMB: Double
    var peakMB: Double
    /// The part of the RSS that is the process's own heap and stacks.
    var anonymousMB: Double
    /// The part that is mapped files: the binary and shared libraries (Swift runtime, Foundation, ICU data).
    var fileMB: Double
    var threads: Int
}
