import Foundation
import OrcaTesting
import Testing

extension LocalClusterTests {
    /// kubectl 1.32 against `orca up` (10.245.12.0/24, names `orcak*`), with the kubeconfig `orca up`
    /// merged into a kubeconfig of the test's own (`$KUBECONFIG`), as a user runs it: no flags.
    @Suite("kubectl on orca up",
           .enabled(if: MinionFixture.available && (ProcessInfo.processInfo.environment["CI"] == "true"
                        || FileManager.default.isExecutableFile(atPath: "/usr/bin/kubectl")),
                    "needs \(MinionFixture.missing.joined(separator: ", ")) and /usr/bin/kubectl"))
    struct KubectlTests {
        static let network = "10.245.12"
        static let image = "csanchez/jenkins-swarm-slave:1.21"

        @Test("everyday kubectl commands")
        func kubectl() async throws {
            let orca = try BuiltBinaries.path("orca")
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orca-kubectl-\(UUID().uuidString)")
            let kubeconfig = directory.appendingPathComponent("user-kubeconfig").path
            let environment = ["KUBECONFIG": kubeconfig]
            let masterPort = try LocalMaster.freePort()
            let registryPort = try LocalMaster.freePort()
            let common = ["--data-dir", directory.appendingPathComponent("cluster").path]
            func kubectl(_ arguments: String..., stdin: String? = nil) async throws -> CommandResult {
                try await CommandResult.run("/usr/bin/kubectl", arguments, environment: environment,
                                            stdin: stdin.map { Data($0.utf8) }, limit: .seconds(60))
            }
            defer { try? FileManager.default.removeItem(at: directory) }
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                let up = try await CommandResult.run(orca, [
                    "up", "--minions", "2", "--network", Self.network, "--name-prefix", "orcak",
                    "--master-port", String(masterPort), "--registry-port", String(registryPort),
                ] + common, environment: environment, limit: .seconds(120))
                #expect(up.status == 0, "\(up)")
                #expect(up.stdout.contains("context \"orcak\" added to \(kubeconfig)"), "\(up)")
                let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                    .deletingLastPathComponent().appendingPathComponent("examples/jenkins-swarm/build-images")
                let images = try await CommandResult.run(examples.path, ["\(Self.network).1:\(registryPort)"],
                                                         limit: .seconds(120))
                #expect(images.status == 0, "\(images)")

                let version = try await kubectl("version")
                #expect(version.status == 0 && version.stdout.contains("Server Version: v1.32.0+orca"), "\(version)")
                let nodes = try await kubectl("get", "nodes")
                #expect(nodes.stdout.split(separator: "\n").first?.split(separator: " ").map(String.init)
                        == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"], "\(nodes)")
                #expect(nodes.stdout.components(separatedBy: " Ready ").count == 3, "\(nodes)")
                let resources = try await kubectl("api-resources")
                #expect(resources.stdout.contains("replicationcontrollers   rc "), "\(resources)")
                let explain = try await kubectl("explain", "pod.spec.containers")
                #expect(explain.status == 0 && explain.stdout.contains("FIELD: containers <[]Container>"), "\(explain)")
                let namespaces = try await kubectl("get", "ns", "-o", "name")
                #expect(namespaces.stdout.contains("namespace/kube-system"), "\(namespaces)")
                let health = try await kubectl("get", "--raw", "/healthz")
                #expect(health.stdout == "ok", "\(health)")

                let run = try await kubectl("run", "web", "--image=\(Self.image)", "--image-pull-policy=IfNotPresent",
                                            "--command", "--", "sh", "-c", "echo hello; exec sleep 10000")
                #expect(run.stdout == "pod/web created\n", "\(run)")
                let wait = try await kubectl("wait", "--for=condition=Ready", "pod/web", "--timeout=60s")
                #expect(wait.stdout == "pod/web condition met\n", "\(wait)")
                let wide = try await kubectl("get", "pods", "-o", "wide")
                #expect(wide.stdout.contains("IP") && wide.stdout.contains("NODE") && wide.stdout.contains("1/1     Running"),
                        "\(wide)")
                let logs = try await kubectl("logs", "web", "--tail", "1")
                #expect(logs.stdout == "hello\n", "\(logs)")
                let jsonpath = try await kubectl("get", "pod", "web", "-o", "jsonpath={.spec.containers[0].image}")
                #expect(jsonpath.stdout == Self.image, "\(jsonpath)")

                let rc = """
                    apiVersion: v1
                    kind: ReplicationController
                    metadata: {name: agents}
                    spec:
                      replicas: 2
                      selector: {app: agents}
                      template:
                        metadata: {labels: {app: agents}}
                        spec:
                          containers:
                          - {name: agent, image: "\(Self.image)", imagePullPolicy: IfNotPresent, command: [sleep, "10000"]}
                    """
                #expect(try await kubectl("apply", "-f", "-", stdin: rc).stdout == "replicationcontroller/agents created\n")
                #expect(try await kubectl("apply", "-f", "-", stdin: rc).stdout == "replicationcontroller/agents unchanged\n")
                #expect(try await kubectl("scale", "rc", "agents", "--replicas=3").stdout == "replicationcontroller/agents scaled\n")
                // diff asks for a dry run: whatever it shows, it changes nothing.
                _ = try await kubectl("diff", "-f", "-", stdin: rc.replacingOccurrences(of: "replicas: 2", with: "replicas: 4"))
                #expect(try await kubectl("get", "rc", "agents", "-o", "jsonpath={.spec.replicas}").stdout == "3")
                #expect(try await kubectl("label", "pod", "web", "tier=front").stdout == "pod/web labeled\n")
                let labelled = try await kubectl("get", "pods", "-l", "tier=front", "-o", "name")
                #expect(labelled.stdout == "pod/web\n", "\(labelled)")

                let missing = try await kubectl("get", "pod", "nothing")
                #expect(missing.status != 0 && missing.stderr.contains("Error from server (NotFound): pods \"nothing\" not found"),
                        "\(missing)")
                let nowhere = try await kubectl("run", "x", "--image=\(Self.image)", "-n", "nowhere")
                #expect(nowhere.stderr.contains("Error from server (NotFound): namespaces \"nowhere\" not found"), "\(nowhere)")

                // Deleting the controller deletes its pods (propagation Background), as in Kubernetes.
                #expect(try await kubectl("delete", "rc", "agents", "--wait").status == 0)
                let deadline = ContinuousClock.now + .seconds(30)
                while try await kubectl("get", "pods", "-l", "app=agents", "-o", "name").stdout != "",
                      ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(200))
                }
                #expect(try await kubectl("get", "pods", "-l", "app=agents", "-o", "name").stdout == "")
            } catch {
                _ = try? await CommandResult.run(orca, ["down"] + common, environment: environment, limit: .seconds(60))
                throw error
            }
            let down = try await CommandResult.run(orca, ["down"] + common, environment: environment, limit: .seconds(60))
            #expect(down.status == 0, "\(down)")
            let config = (try? String(contentsOfFile: kubeconfig, encoding: .utf8)) ?? ""
            #expect(!config.contains("orcak"), "orca down takes its context out: \(config)")
        }
    }
}
