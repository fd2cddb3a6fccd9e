import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import OrcaTesting
import Testing

/// Runs the built `orca master` binary as a user would, on a free loopback port, without its
/// control loops: these tests check the API server and store, and objects must change only
/// when the test changes them.
final class MasterProcess: @unchecked Sendable {
    let process = Process()
    let dataDir: URL
    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }

    /// The folder with the built binaries (the test bundle sits beside them).
    static var binDir: URL {
        let exe = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var dir = exe.deletingLastPathComponent()
        if dir.lastPathComponent == "MacOS" { dir = dir.deletingLastPathComponent().deletingLastPathComponent() }
        return dir
    }

    init(dataDir: URL, extraArgs: [String] = []) throws {
        self.dataDir = dataDir
        port = try LocalMaster.freePort()
        process.executableURL = Self.binDir.appendingPathComponent("orca")
        process.arguments = ["master", "--data-dir", dataDir.path, "--listen", "127.0.0.1:\(port)",
                             "--log-level", "warning", "--no-control-loops"] + extraArgs
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Waits for `/healthz`, failing with what it waited for.
    func waitHealthy() async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let (code, _) = try? await HTTP.send("GET", url + "/healthz"), code == 200 { return }
            guard process.isRunning else { throw MasterError("orca master exited with \(process.terminationStatus)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw MasterError("orca master did not answer /healthz on \(url) within 30 s")
    }

    func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// Waits for the process to exit; returns its status.
    func waitExit() async throws -> Int32 {
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning {
            guard ContinuousClock.now < deadline else { throw MasterError("orca master did not exit within 30 s") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

struct MasterError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

enum HTTP {
    static func send(_ method: String, _ url: String, json: Any? = nil) async throws -> (Int, Data) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }
}


func temporaryDirectory(_ name: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("orca-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}
