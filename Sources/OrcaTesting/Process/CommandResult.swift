import Foundation
import OrcaRuntime

/// What a finished command printed and how it exited, as text (CLI tests compare exact output).
public struct CommandResult: Sendable, CustomStringConvertible {
    /// The exit code (128 + signal when it was killed).
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    public var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }

    /// Runs `executable` to completion (at most `limit`) the way a user's shell does.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                           stdin: Data? = nil, limit: Duration = .seconds(60)) async throws -> CommandResult {
        let command = Command(executable, arguments,
                              environment: ProcessInfo.processInfo.environment.merging(environment) { $1 })
        let output = try await command.output(stdin: stdin ?? Data(), timeout: limit)
        return CommandResult(status: output.status.code, stdout: output.stdoutText, stderr: output.stderrText)
    }
}
