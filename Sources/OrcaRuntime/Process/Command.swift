import CRuntimeShims
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OrcaText

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion with its output captured, every wait bounded.
///
/// Output goes to anonymous memory files rather than pipes: `runc create` and similar
/// leave a process behind that inherits the child's stdio, so a pipe would never reach EOF,
/// and a chatty child cannot block on a full pipe either.
public struct Command: Sendable {
    public var path: String
    public var arguments: [String]
    public var environment: [String: String]?
    public var directory: String?

    public init(_ path: String, _ arguments: [String] = [], environment: [String: String]? = nil,
                directory: String? = nil) {
        self.path = path
        self.arguments = arguments
        self.environment = environment
        self.directory = directory
    }

    /// What a finished command printed and how it ended.
    public struct Output: Sendable, CustomStringConvertible {
        public var status: ExitStatus
        public var stdout: Data
        public var stderr: Data

        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
        public var description: String { "\(status)\n--- stdout\n\(stdoutText)--- stderr\n\(stderrText)" }
    }

    /// The command line, for messages.
    public var commandLine: String { ([path] + arguments).joined(separator: " ") }

    /// Runs and returns whatever happened; throws only when it could not start or timed out.
    public func output(stdin: Data? = nil, timeout: Duration = .seconds(60)) async throws -> Output {
        let out = try MemoryFile(name: "stdout")
        let err = try MemoryFile(name: "stderr")
        let input = try stdin.map { data -> MemoryFile in
            let file = try MemoryFile(name: "stdin")
            try file.write(data)
            return file
        }
        let pid = try Reaper.shared.spawn(path, arguments: arguments, environment: environment,
                                          stdin: input?.descriptor, stdout: out.descriptor, stderr: err.descriptor,
                                          directory: directory)
        let status = try await Self.wait(pid, timeout: timeout, describing: commandLine)
        return Output(status: status, stdout: try out.contents(), stderr: try err.contents())
    }

    /// Runs and returns stdout; a non-zero exit throws with what the command printed.
    @discardableResult
    public func run(stdin: Data? = nil, timeout: Duration = .seconds(60)) async throws -> Data {
        let result = try await output(stdin: stdin, timeout: timeout)
        guard result.status.succeeded else {
            let message = result.stderrText.isEmpty ? result.stdoutText : result.stderrText
            throw RuntimeError.command(commandLine, result.status,
                                       output: message.trimmingWhitespaceAndNewlines())
        }
        return result.stdout
    }

    /// Waits for `pid`; past `timeout` it is SIGKILLed, reaped, and the wait throws.
    public static func wait(_ pid: pid_t, timeout: Duration, describing command: String) async throws -> ExitStatus {
        try await withThrowingTaskGroup(of: ExitStatus?.self) { group in
            group.addTask { await Reaper.shared.wait(for: pid) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next() ?? nil
            if let status = first {
                group.cancelAll()
                return status
            }
            kill(pid, SIGKILL)
            _ = try await group.next()
            throw RuntimeError.timedOut(command, timeout)
        }
    }
}

/// An anonymous in-memory file (memfd), closed on deinit.
final class MemoryFile: @unchecked Sendable {
    let descriptor: Int32

    init(name: String) throws {
        // Not MFD_CLOEXEC: orca_spawn dups it onto the child's stdio and closes the rest.
        descriptor = orca_memfd("orca-\(name)")
        guard descriptor >= 0 else { throw RuntimeError.system("memfd_create", errno) }
    }

    deinit { close(descriptor) }

    func write(_ data: Data) throws {
        try data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                guard n > 0 else { throw RuntimeError.system("write", errno) }
                offset += n
            }
        }
        lseek(descriptor, 0, SEEK_SET)
    }

    func contents() throws -> Data {
        let size = lseek(descriptor, 0, SEEK_END)
        guard size > 0 else { return Data() }
        var data = Data(count: Int(size))
        let read = data.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, Int(size), 0) }
        guard read >= 0 else { throw RuntimeError.system("pread", errno) }
        return data.prefix(read)
    }
}
