import Foundation
import OrcaAPI
import OrcaClient
import OrcaRuntime
import OrcaTesting
import Testing

extension LocalClusterTests {
    /// Services for real on `orca up` (10.245.9.0/24, names `orcas*`): the proxy on every
    /// minion balances a service IP over its pods wherever they run, follows endpoint changes,
    /// stops with the service; cluster DNS names it; UDP works too.
    @Suite("services on two minions",
           .enabled(if: MinionFixture.available, "needs \(MinionFixture.missing.joined(separator: ", "))"))
    struct ServicesTests {
        static let network = "10.245.9"
        /// The example's agent image: busybox with every applet, no entrypoint.
        static let image = "csanchez/jenkins-swarm-slave:1.21"

        struct Cluster {
            let orca: String
            let directory: URL
            let client: OrcaClient
            var common: [String] { ["--data-dir", directory.path] }
            var minions: [String] { ["\(network).2", "\(network).3"] }

            func pod(_ name: String, on minion: String, labels: [String: String] = [:], script: String,
                     restart: RestartPolicy = .always) async throws {
                var pod = Pod(metadata: ObjectMeta(name: name, namespace: "default", labels: labels))
                var container = Container(name: "c", image: image, command: ["sh", "-c", script])
                container.imagePullPolicy = .ifNotPresent
                pod.spec = PodSpec(containers: [container], restartPolicy: restart)
                pod.spec?.nodeName = minion
                pod.spec?.terminationGracePeriodSeconds = 1
                _ = try await client.create(pod)
            }

            func phase(_ name: String) async -> PodPhase? { try? await client.get(Pod.self, name: name).status?.phase }

            func eventually(_ what: String, limit: Duration = .seconds(60), _ check: () async throws -> Bool) async throws {
                let deadline = ContinuousClock.now + limit
                while ContinuousClock.now < deadline {
                    if try await check() { return }
                    try await Task.sleep(for: .milliseconds(200))
                }
                throw DaemonError("waited \(limit) for \(what)")
            }

            /// Runs a client pod to completion and returns its log.
            func run(_ name: String, on minion: String, _ script: String) async throws -> String {
                try await pod(name, on: minion, script: script, restart: .never)
                try await eventually("\(name) finished", limit: .seconds(150)) {
                    let phase = await phase(name)
                    return phase == .succeeded || phase == .failed
                }
                return try await client.logs(pod: name)
            }
        }

        /// `count` requests to the web service, one line per answer: the serving pod's name or `fail`
        /// (nc's -w bounds only the connect; `timeout` bounds a request that hangs).
        static func requests(_ count: Int) -> String {
            """
            for i in $(seq 1 \(count)); do
              answer=$(printf 'GET / HTTP/1.0\\r\\n\\r\\n' | timeout 5 nc -w 2 $WEB_SERVICE_HOST $WEB_SERVICE_PORT | tail -1)
              echo "${answer:-fail}"
            done
            """
        }

        @Test("balancing, both minions, endpoint changes, deletion, DNS and UDP")
        func services() async throws {
            let orca = try BuiltBinaries.path("orca")
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orca-svc-\(UUID().uuidString)")
            let masterPort = try LocalMaster.freePort()
            let registryPort = try LocalMaster.freePort()
            let client = OrcaClient.owned(configuration: .init(baseURL: "http://127.0.0.1:\(masterPort)"))
            let cluster = Cluster(orca: orca, directory: directory, client: client)
            do {
                let up = try await CommandResult.run(orca, [
                    "up", "--no-merge-kubeconfig", "--minions", "2", "--network", Self.network, "--name-prefix", "orcas",
                    "--master-port", String(masterPort), "--registry-port", String(registryPort),
                ] + cluster.common, limit: .seconds(120))
                #expect(up.status == 0, "\(up)")
                let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                    .deletingLastPathComponent().appendingPathComponent("examples/jenkins-swarm/build-images")
                let images = try await CommandResult.run(examples.path, ["\(Self.network).1:\(registryPort)"],
                                                         limit: .seconds(120))
                #expect(images.status == 0, "\(images)")
                try await exercise(cluster)
            } catch {
                _ = try? await Command(orca, ["down"] + cluster.common).output(timeout: .seconds(60))
                try? await client.shutdown()
                throw error
            }
            _ = try await Command(orca, ["down"] + cluster.common).output(timeout: .seconds(60))
            try await client.shutdown()
        }

        func exercise(_ c: Cluster) async throws {
            // Two web pods, one per minion, behind a service created first (so clients get its variables).
            let web = try await c.client.create(Service(
                metadata: ObjectMeta(name: "web", namespace: "default"),
                spec: ServiceSpec(ports: [ServicePort(port: 80, targetPort: .int(8080))], selector: ["app": "web"])))
            let serviceIP = try #require(web.spec?.clusterIP)
            for (index, minion) in c.minions.enumerated() {
                try await c.pod("web-\(index)", on: minion, labels: ["app": "web"],
                                script: "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www")
            }
            try await c.eventually("both web pods are endpoints") {
                let endpoints = try? await c.client.get(Endpoints.self, name: "web")
                return endpoints?.subsets?.first?.addresses?.count == 2
            }

            // From a pod on each minion: answers from both web pods, none failed.
            for (index, minion) in c.minions.enumerated() {
                let log = try await c.run("client-\(index)", on: minion, Self.requests(20))
                let answers = log.split(separator: "\n").map(String.init)
                #expect(answers.count == 20, "\(log)")
                #expect(!answers.contains("fail"), "\(log)")
                #expect(answers.filter { $0 == "web-0" }.count >= 5, "round robin reaches web-0: \(answers)")
                #expect(answers.filter { $0 == "web-1" }.count >= 5, "round robin reaches web-1: \(answers)")
            }

            // One web pod deleted: once the endpoints say so, every request lands on the other.
            try await c.client.delete(Pod.self, name: "web-1")
            try await c.eventually("web-1 left the endpoints") {
                let endpoints = try? await c.client.get(Endpoints.self, name: "web")
                return endpoints?.subsets?.first?.addresses?.count == 1
            }
            let after = try await c.run("client-after", on: c.minions[1], Self.requests(20))
            #expect(after.split(separator: "\n").map(String.init) == Array(repeating: "web-0", count: 20), "\(after)")

            // Cluster DNS: the short name and the full one resolve to the service IP.
            let lookup = try await c.run("lookup", on: c.minions[0],
                                         "nslookup web; nslookup web.default.svc.cluster.local")
            #expect(lookup.components(separatedBy: "Address: \(serviceIP)").count - 1 == 2, "\(lookup)")

            // A UDP service (busybox has no UDP server): a service without a selector whose endpoint
            // is a UDP echo server on the host's bridge address, asked from inside a minion.
            let echoPort = try LocalMaster.freePort()
            let echo = try Reaper.shared.spawn("/usr/bin/python3", arguments: ["-c", """
                import socket, sys
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.bind((sys.argv[1], int(sys.argv[2])))
                while True:
                    data, peer = s.recvfrom(4096)
                    s.sendto(b"pong " + data, peer)
                """, "\(Self.network).1", String(echoPort)])
            defer {
                kill(echo, SIGKILL)
                Reaper.shared.release(echo)
            }
            let echoService = try await c.client.create(Service(
                metadata: ObjectMeta(name: "echo", namespace: "default"),
                spec: ServiceSpec(ports: [ServicePort(protocol: .udp, port: 9999, targetPort: .int(echoPort))])))
            _ = try await c.client.create(Endpoints(
                metadata: ObjectMeta(name: "echo", namespace: "default"),
                subsets: [EndpointSubset(addresses: [EndpointAddress(ip: "\(Self.network).1")],
                                         ports: [EndpointPort(port: echoPort, protocol: .udp)])]))
            let echoIP = try #require(echoService.spec?.clusterIP)
            try await c.eventually("the UDP service answers") {
                await Self.udp("ping", to: echoIP, port: 9999, from: "orcas-minion-2") == "pong ping"
            }

            // The service deleted: its port stops answering.
            try await c.client.delete(Service.self, name: "web")
            try await c.eventually("the deleted service's port is closed") {
                let probe = try await Command("/usr/sbin/ip", ["netns", "exec", "orcas-minion-1", "/bin/busybox", "nc",
                                                               "-w", "1", serviceIP, "80"])
                    .output(stdin: Data("GET / HTTP/1.0\r\n\r\n".utf8), timeout: .seconds(10))
                return !probe.status.succeeded && probe.stdout.isEmpty
            }
        }

        /// One UDP datagram to `ip:port` from inside `namespace`; the reply, "" when none came.
        static func udp(_ message: String, to ip: String, port: Int, from namespace: String) async -> String {
            let script = """
                import socket, sys
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.settimeout(2)
                s.sendto(sys.argv[1].encode(), (sys.argv[2], int(sys.argv[3])))
                try:
                    print(s.recvfrom(4096)[0].decode().strip())
                except socket.timeout:
                    pass
                """
            let output = try? await Command("/usr/sbin/ip", ["netns", "exec", namespace, "/usr/bin/python3", "-c", script,
                                                             message, ip, String(port)]).output(timeout: .seconds(10))
            return (output?.stdoutText ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
