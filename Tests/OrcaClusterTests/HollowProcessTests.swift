import Foundation
import OrcaAPI
import OrcaClient
import OrcaTesting
import Testing

/// `orca hollow` as a user runs it: a separate process against a master, stopped by a signal.
@Suite(.enabled(if: HollowBinary.available, "the orca executable is not built next to the tests"))
struct HollowProcessTests {
    @Test func orcaHollowRegistersRunsPodsAndGoesSilentOnSIGTERM() async throws {
        try await LocalMaster.withMaster { master in
            let client = master.client
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try HollowBinary.path())
            process.arguments = ["hollow", "--master", master.url, "--count", "2", "--name-prefix", "proc-",
                                 "--heartbeat-interval", "0.3", "--cpu", "2", "--memory", "1Gi",
                                 "--log-level", "warning"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            defer { if process.isRunning { process.interrupt() } }

            try await hollowEventually("proc-0 and proc-1 register Ready") {
                let nodes = try await client.list(Node.self).items
                return Set(nodes.compactMap(\.metadata.name)) == ["proc-0", "proc-1"]
                    && nodes.allSatisfy { Hollow.readyCondition($0)?.status == "True" }
            }
            let node = try await client.get(Node.self, name: "proc-1")
            #expect(node.status?.capacity?["cpu"] == Quantity(integer: 2))
            #expect(node.status?.capacity?["memory"] == Quantity("1Gi"))
            _ = try await client.create(Hollow.pod("web"))
            try await client.bind(pod: "web", node: "proc-1")
            try await hollowEventually("web is Running") {
                try await client.get(Pod.self, name: "web").status?.phase == .running
            }
            let podIP = try await client.get(Pod.self, name: "web").status?.podIP ?? ""
            #expect(Hollow.contains(node.spec?.podCIDR ?? "", podIP))

            kill(process.processIdentifier, SIGTERM)
            try await hollowEventually("orca hollow exits", timeout: .seconds(10)) { !process.isRunning }
            #expect(process.terminationStatus == 0)
            let last = Hollow.readyCondition(try await client.get(Node.self, name: "proc-0"))?.lastHeartbeatTime
            try await Task.sleep(for: .milliseconds(2_200))
            let later = Hollow.readyCondition(try await client.get(Node.self, name: "proc-0"))?.lastHeartbeatTime
            #expect(later == last, "a stopped hollow process posts no more heartbeats")
            #expect(try await client.list(Node.self).items.count == 2, "and does not deregister")
        }
    }
}

/// Finds the `orca` executable built with the tests (`<scratch>/debug/orca`), or in `$ORCA_BIN_DIR`.
enum HollowBinary {
    static var available: Bool {
        // Under CI a missing binary must fail, never skip.
        (try? path()) != nil || ProcessInfo.processInfo.environment["CI"] == "true"
    }

    static func path() throws -> String {
        var directories: [URL] = []
        if let dir = ProcessInfo.processInfo.environment["ORCA_BIN_DIR"], !dir.isEmpty {
            directories.append(URL(fileURLWithPath: dir))
        }
        var directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            directories.append(directory)
            directory = directory.deletingLastPathComponent()
        }
        for directory in directories {
            let candidate = directory.appendingPathComponent("orca").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw HollowBinaryMissing(searched: directories.map(\.path))
    }
}

struct HollowBinaryMissing: Error, CustomStringConvertible {
    var searched: [String]
    var description: String { "orca was not found in \(searched.joined(separator: ", ")); run `swift build`" }
}
