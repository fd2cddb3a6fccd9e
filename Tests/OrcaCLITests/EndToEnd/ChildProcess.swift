import Foundation

/// What a finished command printed and how it exited.
struct CommandResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

/// Runs built executables the way a user's shell does, with every wait bounded.
enum ChildProcess {
    struct TimedOut: Error, CustomStringConvertible {
        var command: String
        var limit: Duration
        var description: String { "\(command) did not finish within \(limit)" }
    }

    /// Runs `executable` with `arguments` to completion (at most `limit`), output captured
    /// through files in `directory` so a chatty child cannot block on a full pipe.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil,
        directory: URL, limit: Duration = .seconds(60)
    ) async throws -> CommandResult {
        let id = UUID().uuidString
        let outURL = directory.appendingPathComponent("\(id).out")
        let errURL = directory.appendingPathComponent("\(id).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let command = ([URL(fileURLWithPath: executable).lastPathComponent] + arguments).joined(separator: " ")
        guard try await waitForExit(process, limit: limit) else {
            process.terminate()
            _ = try? await waitForExit(process, limit: .seconds(5))
            throw TimedOut(command: command, limit: limit)
        }
        return CommandResult(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// Polls until `process` exits; false when `limit` passes first.
    static func waitForExit(_ process: Process, limit: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while process.isRunning {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}
