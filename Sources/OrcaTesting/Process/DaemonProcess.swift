import Foundation
import OrcaRuntime

#if canImport(Glibc)
import Glibc
#endif

/// A long-running child of a test (`orca master`, `orca hollow`, `orca minion`, a registry),
/// started through the process's one ``Reaper`` with its output in a log file.
///
/// A watchdog (`sh` reading a pipe only this process holds) sends the daemon SIGTERM if the
/// test runner dies without stopping it (killed by a timeout), so no daemon outlives its test.
/// Every wait is bounded; nothing here blocks a concurrency thread.
public final class DaemonProcess: @unchecked Sendable {
    public let pid: pid_t
    public let name: String
    public let logURL: URL
    private let lock = NSLock()
    private var watchdog: (pid: pid_t, pipe: Int32)?
    private var collected: ExitStatus?

    /// Starts `path` with `arguments`; stdout and stderr append to `logURL`.
    public init(_ path: String, _ arguments: [String], environment: [String: String]? = nil, logURL: URL,
                watchdog: Bool = true) throws {
        name = URL(fileURLWithPath: path).lastPathComponent
        self.logURL = logURL
        let log = open(logURL.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard log >= 0 else { throw RuntimeError.system("open \(logURL.path)", errno) }
        defer { close(log) }
        pid = try Reaper.shared.spawn(path, arguments: arguments, environment: environment, stdout: log, stderr: log)
        if watchdog { try startWatchdog() }
    }

    deinit {
        // A test that forgot to stop its daemon must not leave it running.
        if isRunning { kill(pid, SIGKILL) }
        if let watchdog {
            kill(watchdog.pid, SIGKILL)
            close(watchdog.pipe)
        }
    }

    /// False once the process has exited (its status is then in ``exitStatus``).
    public var isRunning: Bool { exitStatus == nil }

    public var exitStatus: ExitStatus? {
        lock.withLock {
            if collected == nil { collected = Reaper.shared.exitStatus(of: pid) }
            return collected
        }
    }

    public func signal(_ signal: Int32) { kill(pid, signal) }

    /// Waits until it exits, at most `limit`; throws (and leaves it running) after that.
    @discardableResult
    public func waitExit(limit: Duration = .seconds(30)) async throws -> ExitStatus {
        let deadline = ContinuousClock.now + limit
        while true {
            if let status = exitStatus { return status }
            guard ContinuousClock.now < deadline else { throw DaemonError("\(name) did not exit within \(limit)\n\(log)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// SIGTERM, then SIGKILL if it is still there after `grace`. Returns how it ended; throws
    /// when it needed the SIGKILL.
    @discardableResult
    public func stop(grace: Duration = .seconds(15)) async throws -> ExitStatus {
        await stopWatchdog()
        if let status = exitStatus { return status }
        signal(SIGTERM)
        do {
            return try await waitExit(limit: grace)
        } catch {
            signal(SIGKILL)
            _ = try? await waitExit(limit: .seconds(5))
            throw DaemonError("\(name) did not stop within \(grace) of SIGTERM\n\(log)")
        }
    }

    /// What it logged so far.
    public var log: String {
        "--- \(name) log\n" + String(decoding: (try? Data(contentsOf: logURL)) ?? Data(), as: UTF8.self)
    }

    /// `cat` ends when the pipe's last writer (this process) goes away, then the shell kills the daemon.
    private func startWatchdog() throws {
        var fds: [Int32] = [0, 0]
        // No O_CLOEXEC needed: every spawn closes all descriptors above stderr in the child.
        guard pipe(&fds) == 0 else { throw RuntimeError.system("pipe", errno) }
        defer { close(fds[0]) }
        let shell = try Reaper.shared.spawn(
            "/bin/sh", arguments: ["-c", "cat >/dev/null; kill -TERM \(pid) 2>/dev/null"], stdin: fds[0])
        lock.withLock { watchdog = (shell, fds[1]) }
    }

    private func stopWatchdog() async {
        guard let (shell, pipe) = lock.withLock({ () -> (pid_t, Int32)? in
            defer { watchdog = nil }
            return watchdog
        }) else { return }
        // The shell dies first, so the `kill` after `cat` never runs; closing the pipe ends `cat`.
        kill(shell, SIGKILL)
        close(pipe)
        _ = try? await Command.wait(shell, timeout: .seconds(5), describing: "watchdog")
    }
}

public struct DaemonError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
