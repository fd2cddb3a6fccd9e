import Foundation
import OrcaAPI
import OrcaClient
import OrcaRuntime
import OrcaTesting
import Testing

/// The whole seed article (WALKTHROUGH.md §1-§8) with the built `orca` and `kubecfg`, as a user
/// types it, on `orca up` (a test network: 10.245.8.0/24, names `orcaw*`, ports of its own).
extension LocalClusterTests {
    @Suite("the seed's walkthrough on orca up", .serialized,
           .enabled(if: MinionFixture.available, "needs \(MinionFixture.missing.joined(separator: ", "))"))
    struct WalkthroughTests {
        struct Cluster {
            let orca: String
            let directory: URL
            let masterPort: Int
            let registryPort: Int
            let network = "10.245.8"
            var common: [String] { ["--data-dir", directory.path] }
            var minionIPs: [String] { ["\(network).2", "\(network).3"] }

            func kubecfg(_ arguments: String...) async throws -> CommandResult {
                try await CommandResult.run(BuiltBinaries.path("kubecfg"), arguments,
                                            environment: ["KUBERNETES_MASTER": "http://127.0.0.1:\(masterPort)"])
            }

            /// GET / from a minion's host port 8080: the Jenkins master's page ("" when nothing answers).
            func page(_ host: String) async -> String {
                let output = try? await Command("/bin/busybox", ["nc", "-w", "2", host, "8080"])
                    .output(stdin: Data("GET / HTTP/1.0\r\n\r\n".utf8), timeout: .seconds(10))
                return output?.stdoutText ?? ""
            }

            /// Rows of `kubecfg list pods` as (name, host IP, status).
            func pods(_ selector: String? = nil) async throws -> [(name: String, host: String, status: String)] {
                let result: CommandResult
                if let selector { result = try await kubecfg("-l", selector, "list", "pods") } else { result = try await kubecfg("list", "pods") }
                return result.stdout.split(separator: "\n").dropFirst(2).compactMap { line in
                    let cells = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
                    guard cells.count >= 4 else { return nil }
                    let host = cells[2].split(separator: "/").last.map(String.init) ?? ""
                    return (cells[0], host, cells.last ?? "")
                }
            }

            func eventually(_ what: String, limit: Duration = .seconds(60), _ check: () async throws -> Bool) async throws {
                let deadline = ContinuousClock.now + limit
                while ContinuousClock.now < deadline {
                    if try await check() { return }
                    try await Task.sleep(for: .milliseconds(250))
                }
                let logs = (try? String(contentsOf: directory.appendingPathComponent("logs/master.log"), encoding: .utf8)) ?? ""
                throw DaemonError("waited \(limit) for \(what)\n\(try await kubecfg("list", "pods"))\n\(logs.suffix(3000))")
            }

            /// The connected agents the master's page lists.
            func agents(_ page: String) -> Int { page.components(separatedBy: "connected</li>").count - 1 }
        }

        @Test("§1-§8: cluster, minions, pod, services, replication, resize, self-healing, minion loss, clean-up")
        func walkthrough() async throws {
            let cluster = Cluster(
                orca: try BuiltBinaries.path("orca"),
                directory: FileManager.default.temporaryDirectory.appendingPathComponent("orca-walk-\(UUID().uuidString)"),
                masterPort: try LocalMaster.freePort(), registryPort: try LocalMaster.freePort())
            do {
                try await run(cluster)
            } catch {
                _ = try? await Command(cluster.orca, ["down"] + cluster.common).output(timeout: .seconds(60))
                throw error
            }
        }

        func run(_ c: Cluster) async throws {
            let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("examples/jenkins-swarm")
            // §1. One command makes the cluster.
            let up = try await CommandResult.run(c.orca, ["up", "--minions", "2", "--network", c.network, "--name-prefix", "orcaw",
                                                          "--master-port", String(c.masterPort), "--registry-port",
                                                          String(c.registryPort)] + c.common, limit: .seconds(120))
            #expect(up.status == 0, "\(up)")
            let images = try await CommandResult.run(examples.appendingPathComponent("build-images").path,
                                                     ["\(c.network).1:\(c.registryPort)"], limit: .seconds(120))
            #expect(images.status == 0, "\(images)")

            // §2. The minions, named by their IPs.
            let minions = try await c.kubecfg("list", "minions")
            #expect(minions.stdout == "Minion identifier\n----------\n\(c.network).2\n\(c.network).3\n")

            // §3. The Jenkins pod: Pending, then Running on a minion whose IP serves the page.
            let created = try await c.kubecfg("-c", examples.appendingPathComponent("pod.json").path, "create", "pods")
            #expect(created.status == 0, "\(created)")
            #expect(created.stdout.contains("csanchez/jenkins-swarm:1.565.3.3"))
            var masterHost = ""
            try await c.eventually("jenkins Running") {
                masterHost = try await c.pods("name=jenkins").first { $0.status == "Running" }?.host ?? ""
                return !masterHost.isEmpty
            }
            #expect(c.minionIPs.contains(masterHost))
            try await c.eventually("the Jenkins page on \(masterHost):8080") {
                await c.page(masterHost).contains("Jenkins (swarm master)")
            }

            // §4. Services with stable IPs from 10.0.0.0/16, the master's own among them.
            for file in ["service-http.json", "service-slave.json"] {
                let result = try await c.kubecfg("-c", examples.appendingPathComponent(file).path, "create", "services")
                #expect(result.status == 0, "\(result)")
            }
            let services = try await c.kubecfg("list", "services")
            for name in ["kubernetes-ro", "kubernetes", "jenkins", "jenkins-slave"] {
                #expect(services.stdout.split(separator: "\n").contains { $0.hasPrefix(name + " ") && $0.contains(" 10.0.") },
                        "\(name) in\n\(services.stdout)")
            }

            // §5. The agents' replication controller; they connect through the services; resize to 2
            // spreads them over both minions.
            let rc = try await c.kubecfg("-c", examples.appendingPathComponent("replication.json").path, "create",
                                         "replicationControllers")
            #expect(rc.status == 0, "\(rc)")
            try await c.eventually("one agent connected") {
                let page = await c.page(masterHost)
                return c.agents(page) == 1
            }
            #expect(try await c.kubecfg("resize", "jenkins-slave", "2").status == 0)
            try await c.eventually("two agents connected, one per minion") {
                let agents = try await c.pods("name=jenkins-slave").filter { $0.status == "Running" }
                let page = await c.page(masterHost)
                return agents.count == 2 && Set(agents.map(\.host)).count == 2 && c.agents(page) == 2
            }

            // §7. Self-healing: kill the Jenkins container; it comes back with its data (the emptyDir).
            let client = OrcaClient.owned(configuration: .init(baseURL: "http://127.0.0.1:\(c.masterPort)"))
            defer { Task { try? await client.shutdown() } }
            let jenkins = try await client.get(Pod.self, name: "jenkins")
            let containerID = jenkins.status?.containerStatuses?.first?.containerID?.replacingOccurrences(of: "runc://", with: "") ?? ""
            let minionIndex = (c.minionIPs.firstIndex(of: masterHost) ?? 0) + 1
            let runcRoot = c.directory.appendingPathComponent("minion-\(minionIndex)/runc").path
            try await Command("/usr/sbin/runc", ["--root", runcRoot, "kill", containerID, "KILL"]).run()
            let killedAt = ContinuousClock.now
            try await c.eventually("Jenkins restarted and serving, started twice, agents still registered", limit: .seconds(30)) {
                let page = await c.page(masterHost)
                return page.contains("started 2 time(s)") && c.agents(page) == 2
            }
            let recovery = ContinuousClock.now - killedAt
            #expect(try await client.get(Pod.self, name: "jenkins").status?.containerStatuses?.first?.restartCount == 1)
            print("walkthrough: Jenkins container killed -> serving again with its data in \(recovery)")

            // A killed agent is replaced (restarted) and rejoins.
            let agent = try #require(try await client.list(Pod.self, labelSelector: "name=jenkins-slave").items.first)
            let agentID = agent.status?.containerStatuses?.first?.containerID?.replacingOccurrences(of: "runc://", with: "") ?? ""
            let agentIndex = (c.minionIPs.firstIndex(of: agent.status?.hostIP ?? "") ?? 0) + 1
            try await Command("/usr/sbin/runc", ["--root", c.directory.appendingPathComponent("minion-\(agentIndex)/runc").path,
                                                 "kill", agentID, "KILL"]).run()
            try await c.eventually("the killed agent restarted") {
                (try? await client.get(Pod.self, name: agent.metadata.name ?? "").status?.containerStatuses?.first?.restartCount) == 1
            }
            try await c.eventually("two agents connected again") {
                let page = await c.page(masterHost)
                return c.agents(page) == 2
            }

            // Beyond the seed: a whole minion lost (its processes killed, its link down). Its pods
            // are replaced on the other minion and the example works again.
            let lost = masterHost
            let lostIndex = (c.minionIPs.firstIndex(of: lost) ?? 0) + 1
            let survivor = c.minionIPs.first { $0 != lost }!
            let state = try JSONSerialization.jsonObject(with: Data(contentsOf: c.directory.appendingPathComponent("cluster.json")))
            let daemons = (state as? [String: Any])?["daemons"] as? [[String: Any]] ?? []
            let minionPID = daemons.first { $0["role"] as? String == "minion-\(lostIndex)" }?["pid"] as? Int ?? 0
            #expect(minionPID > 0)
            kill(pid_t(minionPID), SIGKILL)
            try await Command("/usr/sbin/ip", ["link", "set", "orcaw-m\(lostIndex)", "down"]).run()
            let lostAt = ContinuousClock.now
            try await c.eventually("Jenkins running on the surviving minion with agents connected", limit: .seconds(90)) {
                let running = try await c.pods("name=jenkins").first { $0.status == "Running" }
                let page = await c.page(survivor)
                return running?.host == survivor && c.agents(page) >= 1
            }
            print("walkthrough: minion \(lost) lost -> example serving again on \(survivor) in \(ContinuousClock.now - lostAt)")

            // §8. Clean-up.
            for arguments in [["stop", "jenkins-slave"], ["rm", "jenkins-slave"], ["delete", "pods/jenkins"],
                              ["delete", "services/jenkins"], ["delete", "services/jenkins-slave"]] {
                let result = try await CommandResult.run(BuiltBinaries.path("kubecfg"), arguments,
                                                         environment: ["KUBERNETES_MASTER": "http://127.0.0.1:\(c.masterPort)"])
                #expect(result.status == 0, "kubecfg \(arguments): \(result)")
            }
            try await c.eventually("no pod left") { try await c.pods().isEmpty }
            let survivorRunc = c.directory.appendingPathComponent("minion-\(c.minionIPs.firstIndex(of: survivor)! + 1)/runc").path
            try await c.eventually("no container left on the surviving minion") {
                let listed = try await Command("/usr/sbin/runc", ["--root", survivorRunc, "list", "-q"]).run()
                return listed.isEmpty
            }
            #expect(try await c.kubecfg("list", "replicationControllers").stdout.split(separator: "\n").count == 2)

            let down = try await CommandResult.run(c.orca, ["down"] + c.common, limit: .seconds(60))
            #expect(down.status == 0, "\(down)")
            let namespaces = String(decoding: try await Command("/usr/sbin/ip", ["netns", "list"]).run(), as: UTF8.self)
            #expect(!namespaces.contains("orcaw"), "\(namespaces)")
            let links = String(decoding: try await Command("/usr/sbin/ip", ["-o", "link", "show"]).run(), as: UTF8.self)
            #expect(!links.contains("orcaw"))
        }
    }
}
