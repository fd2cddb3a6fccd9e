import Foundation
import OrcaAPI
import OrcaClient
import OrcaRuntime
import OrcaTesting
import Testing

/// `orca up`, `orca status` and `orca down` with the built binary, on a test network
/// (10.245.7.0/24, names `orcat*`, ports of its own) so a user's cluster is never touched.
extension LocalClusterTests {
    @Suite("orca up / status / down", .serialized,
           .enabled(if: MinionFixture.available, "needs \(MinionFixture.missing.joined(separator: ", "))"))
    struct OrcaUpTests {
        static let network = "10.245.7"
        static let prefix = "orcat"

        @Test("up brings two minions Ready, runs a pod on each, down leaves nothing")
        func upStatusDown() async throws {
            let orca = try BuiltBinaries.path("orca")
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orca-up-\(UUID().uuidString)")
            let masterPort = try LocalMaster.freePort()
            let common = ["--data-dir", directory.path]
            let upArguments = ["up", "--no-merge-kubeconfig", "--minions", "2", "--network", Self.network, "--name-prefix", Self.prefix,
                               "--master-port", String(masterPort), "--registry-port", String(try LocalMaster.freePort())] + common
            do {
                try await exercise(orca: orca, directory: directory, masterPort: masterPort, common: common,
                                   upArguments: upArguments)
            } catch {
                // Whatever happened, take it down.
                _ = try? await Command(orca, ["down"] + common).output(timeout: .seconds(60))
                throw error
            }
        }

        func exercise(orca: String, directory: URL, masterPort: Int, common: [String], upArguments: [String]) async throws {
            let up = try await CommandResult.run(orca, upArguments, limit: .seconds(120))
            #expect(up.status == 0, "\(up)")
            #expect(up.stdout.contains("minion \(Self.network).2"), "\(up)")
            #expect(up.stdout.contains("minion \(Self.network).3"), "\(up)")

            let again = try await CommandResult.run(orca, upArguments, limit: .seconds(60))
            #expect(again.status == 0)
            #expect(again.stdout.contains("already up"), "\(again)")

            let status = try await CommandResult.run(orca, ["status"] + common)
            #expect(status.stdout.split(separator: "\n").filter { $0.contains("Ready") && !$0.contains("NotReady") }.count == 2,
                    "\(status)")

            // kubecfg with no flags finds the master on loopback (its port given here through the env).
            let client = OrcaClient.owned(configuration: OrcaClient.Configuration(baseURL: "http://127.0.0.1:\(masterPort)"))
            defer { Task { try? await client.shutdown() } }
            for index in 0..<2 {
                var pod = MinionFixture.pod("web-\(index)", containers: [
                    ("web", "mkdir -p /www && echo hello-from-\(index) > /www/index.html && exec httpd -f -p 80 -h /www"),
                ], ports: [ContainerPort(containerPort: 80, hostPort: 8090)], image: "busybox:latest")
                pod.spec?.nodeName = "\(Self.network).\(2 + index)"
                pod.spec?.containers[0].imagePullPolicy = .never
                _ = try await client.create(pod)
            }
            // The minions have no image yet: load the test image into each minion's store.
            let archive = directory.appendingPathComponent("busybox.tar")
            try await TestImages.dockerArchive(tag: TestImages.latest, name: "busybox:latest", at: archive)
            for index in 1...2 {
                let load = try await CommandResult.run(orca, ["image", "load", archive.path, "--data-dir",
                                                              directory.appendingPathComponent("minion-\(index)").path])
                #expect(load.status == 0, "\(load)")
            }
            for index in 0..<2 {
                let ip = "\(Self.network).\(2 + index)"
                var answer = ""
                let deadline = ContinuousClock.now + .seconds(60)
                while !answer.contains("hello-from-\(index)"), ContinuousClock.now < deadline {
                    let output = try await Command("/bin/busybox", ["nc", "-w", "2", ip, "8090"])
                        .output(stdin: Data("GET / HTTP/1.0\r\n\r\n".utf8), timeout: .seconds(10))
                    answer = output.stdoutText
                    if !answer.contains("hello") { try await Task.sleep(for: .milliseconds(200)) }
                }
                #expect(answer.contains("hello-from-\(index)"), "minion \(ip) serves its pod on the host port")
            }

            let down = try await CommandResult.run(orca, ["down"] + common, limit: .seconds(60))
            #expect(down.status == 0, "\(down)")
            let namespaces = try await Command("/usr/sbin/ip", ["netns", "list"]).run()
            #expect(!String(decoding: namespaces, as: UTF8.self).contains(Self.prefix))
            let links = try await Command("/usr/sbin/ip", ["-o", "link", "show"]).run()
            #expect(!String(decoding: links, as: UTF8.self).contains(Self.prefix))
            let routes = try await Command("/usr/sbin/ip", ["route", "show"]).run()
            #expect(!String(decoding: routes, as: UTF8.self).contains("10.244."), "no cluster route is left")
            #expect(!String(decoding: routes, as: UTF8.self).contains(Self.network))
            let mounts = ProcFile.mountInfo
            #expect(!mounts.contains(directory.path))
            #expect(!FileManager.default.fileExists(atPath: directory.path))
        }
    }
}
