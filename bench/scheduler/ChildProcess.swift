import BenchSupport
import Foundation
import Glibc

/// A child process of the benchmark (`orca master`, `orca hollow`), its output in a log file,
/// stopped by its pid: SIGTERM, then SIGKILL after a bound.
///
/// Every child is registered with the ``Watchdog``, which terminates it if the benchmark dies
/// without stopping it.
///
/// `@unchecked Sendable`: the `Process` is only asked for its pid, whether it runs and its status.
final class ChildProcess: @unchecked Sendable {
    let name: String
    let pid: Int32
    let logPath: String
    let arguments: [String]
    private let process: Process

    private init(name: String, process: Process, logPath: String, arguments: [String]) {
        self.name = name
        self.process = process
        self.pid = process.processIdentifier
        self.logPath = logPath
        self.arguments = arguments
    }

    /// Starts `binary arguments`, stdout and stderr appended to `logPath`.
    static func start(name: String, binary: String, arguments: [String], logPath: String) throws -> ChildProcess {
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        // The child inherits this thread's signal mask, and Swift's executor threads block most
        // signals (SIGTERM and SIGCHLD among them): spawn with none blocked, as a shell would.
        var none = sigset_t()
        var saved = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        try process.run()
        try? log.close()
        let child = ChildProcess(name: name, process: process, logPath: logPath, arguments: arguments)
        Watchdog.shared.watch(child.pid)
        return child
    }

    var isRunning: Bool { process.isRunning }

    /// The exit status, or nil while it runs.
    var exitStatus: Int32? { process.isRunning ? nil : process.terminationStatus }

    var log: String { Machine.read(logPath) }

    func reading() -> ProcessReading { ProcessReading.of(pid) }

    /// Sends `signal` (SIGTERM), waits (at most `grace` seconds, then SIGKILL) and returns the exit status.
    @discardableResult
    func stop(grace: Double = 15, signal: Int32 = SIGTERM) async -> Int32 {
        if process.isRunning {
            kill(pid, signal)
            let deadline = Nanos.now() + Nanos.from(seconds: grace)
            while process.isRunning && Nanos.now() < deadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
            if process.isRunning { await killNow() }
        }
        Watchdog.shared.forget(pid)
        return process.isRunning ? -1 : process.terminationStatus
    }

    /// SIGKILL, as a host that dies; waits (at most 5 s) until the process is gone.
    func killNow() async {
        kill(pid, SIGKILL)
        for _ in 0..<250 where process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        Watchdog.shared.forget(pid)
    }
}

/// One `sh` that reads `+PID` and `-PID` lines on a pipe only this process can write; when the pipe
/// closes (the benchmark exited or died) it sends SIGTERM, then SIGKILL, to the pids still listed.
final class Watchdog: @unchecked Sendable {
    static let shared = Watchdog()

    private let lock = NSLock()
    private var writer: FileHandle?
    private var process: Process?

    private init() {}

    func watch(_ pid: Int32) { send("+\(pid)") }

    func forget(_ pid: Int32) { send("-\(pid)") }

    /// Starts the watchdog (once). The pipe's ends are close-on-exec, so no child holds the
    /// writing end (which would keep the pipe open after the benchmark died).
    func start() throws {
        lock.lock()
        defer { lock.unlock() }
        guard process == nil else { return }
        let pipe = Pipe()
        _ = fcntl(pipe.fileHandleForWriting.fileDescriptor, F_SETFD, FD_CLOEXEC)
        _ = fcntl(pipe.fileHandleForReading.fileDescriptor, F_SETFD, FD_CLOEXEC)
        let sh = Process()
        sh.executableURL = URL(fileURLWithPath: "/bin/sh")
        sh.arguments = ["-c", Self.script]
        sh.standardInput = pipe.fileHandleForReading
        sh.standardOutput = FileHandle.nullDevice
        sh.standardError = FileHandle.nullDevice
        try sh.run()
        try? pipe.fileHandleForReading.close()
        writer = pipe.fileHandleForWriting
        process = sh
    }

    /// Closes the pipe: the watchdog then ends (stopping any child still listed).
    func finish() {
        lock.lock()
        let (writer, process) = (self.writer, self.process)
        self.writer = nil
        self.process = nil
        lock.unlock()
        try? writer?.close()
        process?.waitUntilExit()
    }

    private func send(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        writer?.write(Data((line + "\n").utf8))
    }

    /// `read` is a shell builtin: the shell has no child that could outlive it.
    private static let script = """
        pids=" "
        while read -r line; do
          case "$line" in
            +*) pids="$pids${line#+} " ;;
            -*) pids=$(printf '%s' "$pids" | sed "s/ ${line#-} / /") ;;
          esac
        done
        set -- $pids
        [ $# -eq 0 ] && exit 0
        kill -TERM "$@" 2>/dev/null
        i=0
        while [ $i -lt 50 ]; do
          alive=0
          for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
          [ $alive -eq 0 ] && exit 0
          sleep 0.1
          i=$((i + 1))
        done
        kill -KILL "$@" 2>/dev/null
        """
}
