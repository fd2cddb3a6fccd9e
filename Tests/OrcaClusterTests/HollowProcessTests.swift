import Foundation
import OrcaAPI
import OrcaClient
import OrcaRuntime
import OrcaTesting
import Testing

/// `orca hollow` as a user runs it: a separate process against a master, stopped by a signal.
@Suite(.enabled(if: BuiltBinaries.available("orca"), "the orca executable is not built next to the tests"))
struct HollowProcessTests {
    @Test func orcaHollowRegistersRunsPodsAndGoesSilentOnSIGTERM() async throws {
        try await LocalMaster.withMaster { master in
            let client = master.client
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("orca-hollow-\(UUID().uuidString).log")
            defer { try? FileManager.default.removeItem(at: log) }
            let process = try DaemonProcess(
                try BuiltBinaries.path("orca"),
                ["hollow", "--master", master.url, "--count", "2", "--name-prefix", "proc-",
                 "--heartbeat-interval", "0.3", "--cpu", "2", "--memory", "1Gi", "--log-level", "warning"],
                logURL: log)

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

            #expect(try await process.stop(grace: .seconds(10)) == .exited(0))
            let last = Hollow.readyCondition(try await client.get(Node.self, name: "proc-0"))?.lastHeartbeatTime
            try await Task.sleep(for: .milliseconds(2_200))
            let later = Hollow.readyCondition(try await client.get(Node.self, name: "proc-0"))?.lastHeartbeatTime
            #expect(later == last, "a stopped hollow process posts no more heartbeats")
            #expect(try await client.list(Node.self).items.count == 2, "and does not deregister")
        }
    }
}
