import Foundation
import OrcaRuntime
import OrcaTesting
import Testing

/// The seed's replication-controller and resize steps with the built `kubecfg` against the built
/// `orca master` and `orca hollow --count 2`: the pods are scheduled, run, and spread.
@Suite("kubecfg with hollow minions", .serialized)
struct HollowWalkthroughTests {
    @Test("steps 2 and 5: two minions, an RC of one, resized to two, spread over both")
    func replicationAndResize() async throws {
        try await MasterProcess.with { master in
            let hollow = try DaemonProcess(
                try BuiltBinaries.path("orca"),
                ["hollow", "--master", master.url, "--count", "2", "--heartbeat-interval", "1",
                 "--first-host-ip", "10.245.2.2", "--log-level", "warning"],
                logURL: master.directory.appendingPathComponent("hollow.log"))

            try await poll("both minions listed") {
                let minions = try await master.kubecfg("list", "minions")
                return minions.stdout == "Minion identifier\n----------\nhollow-0\nhollow-1\n" ? nil : minions
            }
            let create = try await master.kubecfg(
                "-c", SeedObjects.fixture("replication.json").path, "create", "replicationControllers")
            #expect(create.status == 0, "\(create)")
            try await poll("one Running jenkins-slave pod") {
                let pods = try await master.kubecfg("-l", "name=jenkins-slave", "list", "pods")
                return runningHosts(pods).count == 1 ? nil : pods
            }
            let resize = try await master.kubecfg("resize", "jenkins-slave", "2")
            #expect(resize.status == 0, "\(resize)")
            try await poll("two Running pods on two minions") {
                let pods = try await master.kubecfg("-l", "name=jenkins-slave", "list", "pods")
                let hosts = runningHosts(pods)
                return hosts.count == 2 && Set(hosts).count == 2 ? nil : pods
            }
            let stop = try await master.kubecfg("stop", "jenkins-slave")
            #expect(stop.status == 0, "\(stop)")
            let rm = try await master.kubecfg("rm", "jenkins-slave")
            #expect(rm.status == 0, "\(rm)")
            try await poll("no pods left") {
                let pods = try await master.kubecfg("list", "pods")
                return pods.stdout.split(separator: "\n").count == 2 ? nil : pods
            }
            #expect(try await hollow.stop() == .exited(0), "orca hollow exits 0 on SIGTERM")
        }
    }

    /// The Host column (`minion/ip`) of every Running row of a pod table.
    func runningHosts(_ table: CommandResult) -> [String] {
        table.stdout.split(separator: "\n").dropFirst(2).compactMap { line in
            let cells = line.split(separator: " ", omittingEmptySubsequences: true)
            guard cells.last == "Running", cells.count >= 3 else { return nil }
            return String(cells[2])
        }
    }

    /// Polls until `check` returns nil; fails with what was waited for and the last output.
    func poll(_ what: String, limit: Duration = .seconds(60),
              _ check: () async throws -> CommandResult?) async throws {
        let deadline = ContinuousClock.now + limit
        var last: CommandResult?
        while ContinuousClock.now < deadline {
            last = try await check()
            if last == nil { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("waited \(limit) for \(what); last output:\n\(last.map { "\($0)" } ?? "")")
    }
}
