import Foundation
import Synchronization
import OrcaAPI
import OrcaCLI
import Testing

/// The verbs against ``FakeClient``, with sleeping recorded instead of done.
@Suite("kubecfg verbs")
struct VerbTests {
    let client = FakeClient()
    let console = BufferConsole()
    let slept = SleepLog()

    func kubecfg(_ configure: (inout KubecfgOptions) -> Void = { _ in }, input: Data? = nil) -> Kubecfg {
        var options = KubecfgOptions()
        configure(&options)
        let slept = slept
        return Kubecfg(
            options: options, client: client, console: console,
            readInput: { source in
                if let input { return input }
                return try Data(contentsOf: SeedObjects.fixture(source))
            },
            sleep: { slept.append($0) })
    }

    @Test("run builds the seed's controller: selector and labels name=<name>, one lowercased container")
    func runObjects() throws {
        let ports = try PortSpec.parse("8080:80")
        let (rc, service) = try Kubecfg.runObjects(
            image: "nginx", replicas: 3, name: "Web", ports: ports, servicePort: -1, namespace: "default")
        #expect(service == nil)
        #expect(rc.metadata.name == "Web")
        #expect(rc.metadata.labels == ["name": "Web"])
        #expect(rc.spec?.replicas == 3)
        #expect(rc.spec?.selector == ["name": "Web"])
        #expect(rc.spec?.template?.metadata?.labels == ["name": "Web"])
        #expect(rc.spec?.template?.spec?.containers == [
            Container(name: "web", image: "nginx",
                      ports: [ContainerPort(containerPort: 80, hostPort: 8080, protocol: .tcp)]),
        ])
    }

    @Test("run -s also builds a service on that port, forwarding to the first container port")
    func runService() throws {
        let (_, service) = try Kubecfg.runObjects(
            image: "nginx", replicas: 1, name: "web", ports: PortSpec.parse("8080,9090"), servicePort: 80,
            namespace: "ci")
        let expected = Service(
            metadata: ObjectMeta(name: "web", namespace: "ci", labels: ["name": "web"]),
            spec: ServiceSpec(ports: [ServicePort(protocol: .tcp, port: 80, targetPort: .int(8080))],
                              selector: ["name": "web"]))
        #expect(service == expected)
    }

    @Test("run -s needs a DNS label name")
    func runServiceName() {
        #expect(throws: UsageError.self) {
            try Kubecfg.runObjects(image: "nginx", replicas: 1, name: "Web_1", ports: [], servicePort: 80,
                                   namespace: "default")
        }
        do {
            _ = try Kubecfg.runObjects(image: "nginx", replicas: 1, name: "1web", ports: [], servicePort: 80,
                                       namespace: "default")
            Issue.record("1web was accepted as a service name")
        } catch {
            #expect(error.message.hasPrefix("-s 80 makes a service named \"1web\", which must be a DNS label: "))
        }
    }

    @Test("run creates and prints the controller and the service")
    func runVerb() async throws {
        try await kubecfg { $0.servicePort = 8080 }.run("run", ["nginx", "2", "web"])
        #expect(client.calls == ["CREATE replicationcontrollers/default/web", "CREATE services/default/web"])
        #expect(console.text.contains("web          nginx        name=web     2\n"))
        #expect(console.text.contains("Name         Labels       Selector     IP           Port\n"))
    }

    @Test("rm refuses a controller that still has replicas, with the original's message")
    func rmRefuses() async throws {
        client.seed(try SeedObjects.controller())
        await #expect(throws: KubecfgError("controller has non-zero replicas (1), please stop it first")) {
            try await kubecfg().run("rm", ["jenkins-slave"])
        }
        #expect(!client.calls.contains { $0.hasPrefix("DELETE") })
    }

    @Test("stop then rm: resize to 0, then delete")
    func stopThenRemove() async throws {
        client.seed(try SeedObjects.controller())
        try await kubecfg().run("stop", ["jenkins-slave"])
        #expect(console.text.contains("jenkins-slave   csanchez/jenkins-swarm-slave:1.21   name=jenkins-slave   0\n"))
        try await kubecfg().run("rm", ["jenkins-slave"])
        #expect(client.calls.contains("DELETE replicationcontrollers/default/jenkins-slave"))
        #expect(console.text.hasSuffix("0\n"))
    }

    @Test("stop waits, bounded, for the controller to report no pods")
    func stopWaitsBounded() async throws {
        var rc = try SeedObjects.controller()
        rc.status = ReplicationControllerStatus(replicas: 2)
        client.seed(rc)
        var cli = kubecfg()
        cli.stopTimeout = .seconds(20)
        cli.stopPollInterval = .seconds(5)
        await #expect(throws: KubecfgError.self) { try await cli.run("stop", ["jenkins-slave"]) }
        #expect(slept.all == Array(repeating: .seconds(5), count: 4))
    }

    @Test("resize sets spec.replicas and prints the controller")
    func resize() async throws {
        client.seed(try SeedObjects.controller())
        try await kubecfg().run("resize", ["jenkins-slave", "2"])
        #expect(client.calls.first == "SCALE replicationcontrollers/default/jenkins-slave 2")
        #expect(console.text.hasSuffix("jenkins-slave   csanchez/jenkins-swarm-slave:1.21   name=jenkins-slave   2\n"))
        await #expect(throws: UsageError.self) { try await kubecfg().run("resize", ["jenkins-slave", "-1"]) }
        await #expect(throws: UsageError.self) { try await kubecfg().run("resize", ["jenkins-slave"]) }
    }

    @Test("rollingupdate patches the image, deletes each pod -u apart, then waits for the count")
    func rollingUpdate() async throws {
        client.seed(try SeedObjects.controller())
        for name in ["jenkins-slave-a", "jenkins-slave-b", "jenkins-slave-c"] {
            client.seed(Pod(metadata: ObjectMeta(name: name, namespace: "default", labels: ["name": "jenkins-slave"]),
                            spec: PodSpec(containers: [Container(name: "s", image: "old")])))
        }
        client.seed(Pod(metadata: ObjectMeta(name: "other", namespace: "default", labels: ["name": "other"])))
        // Stands in for the replication manager: the pods are back when the waiting starts.
        let refill = client
        let cli = Kubecfg(
            options: { var o = KubecfgOptions(); o.image = "slave:2"; o.updatePeriod = .seconds(7); return o }(),
            client: client, console: console, sleep: { [slept] duration in
                slept.append(duration)
                if duration == .seconds(5) {
                    for name in ["n1", "n2", "n3"] {
                        refill.seed(Pod(metadata: ObjectMeta(name: name, namespace: "default",
                                                             labels: ["name": "jenkins-slave"])))
                    }
                }
            })
        try await cli.run("rollingupdate", ["jenkins-slave"])
        let rc = try await client.get(ReplicationController.self, name: "jenkins-slave", namespace: "default")
        #expect(rc.spec?.template?.spec?.containers.first?.image == "slave:2")
        #expect(client.calls.filter { $0.hasPrefix("DELETE") } == [
            "DELETE pods/default/jenkins-slave-a", "DELETE pods/default/jenkins-slave-b",
            "DELETE pods/default/jenkins-slave-c",
        ])
        #expect(slept.all == [.seconds(7), .seconds(7), .seconds(5)])
        #expect(console.text.hasSuffix("Controller jenkins-slave has 3 pods again\n"))
    }

    @Test("rollingupdate gives up after 300 s of polling every 5 s")
    func rollingUpdateBounded() async throws {
        client.seed(try SeedObjects.controller())
        client.seed(Pod(metadata: ObjectMeta(name: "p", namespace: "default", labels: ["name": "jenkins-slave"])))
        await #expect(throws: KubecfgError.self) { try await kubecfg().run("rollingupdate", ["jenkins-slave"]) }
        #expect(slept.all == Array(repeating: .seconds(5), count: 60))
    }

    @Test("create -c v1beta1 posts to /api/v1beta1, then prints what v1 reads back")
    func createV1Beta1() async throws {
        try await kubecfg { $0.configFile = "pod.json" }.run("create", ["pods"])
        #expect(client.calls == ["POST /api/v1beta1/pods?namespace=default", "CREATE pods/default/jenkins",
                                 "GET pods/default/jenkins"])
        #expect(console.text.contains("jenkins      csanchez/jenkins-swarm:1.565.3.3   <unassigned>   name=jenkins"))
    }

    @Test("create -c v1 YAML posts to /api/v1/namespaces/<ns>")
    func createV1() async throws {
        let yaml = Data("""
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {name: web}
              ports: [{port: 80}]
            """.utf8)
        try await kubecfg({ $0.configFile = "-"; $0.namespace = "ci" }, input: yaml).run("create", ["services"])
        #expect(client.calls.first == "POST /api/v1/namespaces/ci/services")
        #expect(console.text.contains("web          "))
    }

    @Test("update reads the resourceVersion, then puts the file with it")
    func update() async throws {
        try await kubecfg { $0.configFile = "replication.json" }.run("create", ["replicationControllers"])
        try await kubecfg { $0.configFile = "replication.json" }.run("update", ["replicationControllers/jenkins-slave"])
        #expect(Array(client.calls.suffix(4)) == [
            "GET replicationcontrollers/default/jenkins-slave",
            "PUT /api/v1beta1/replicationControllers/jenkins-slave?namespace=default",
            "UPDATE replicationcontrollers/default/jenkins-slave",
            "GET replicationcontrollers/default/jenkins-slave",
        ])
    }

    @Test("a file and a path that name different objects are refused")
    func mismatchedNames() async {
        await #expect(throws: UsageError.self) {
            try await kubecfg { $0.configFile = "pod.json" }.run("update", ["pods/other"])
        }
    }

    @Test("get, list, delete")
    func getListDelete() async throws {
        client.seed(try SeedObjects.pendingPod())
        try await kubecfg().run("get", ["pods/jenkins"])
        try await kubecfg { $0.labelSelector = "name=nothing" }.run("list", ["pods"])
        try await kubecfg().run("delete", ["pods/jenkins"])
        #expect(client.calls == ["GET pods/default/jenkins", "LIST pods/default name=nothing",
                                 "DELETE pods/default/jenkins"])
        #expect(console.text.hasSuffix("Name         Image(s)     Host         Labels       Status\n"
            + "----------   ----------   ----------   ----------   ----------\nStatus\n----------\nSuccess\n"))
        await #expect(throws: APIError.notFound("pods", "jenkins")) { try await kubecfg().run("get", ["pods/jenkins"]) }
        await #expect(throws: UsageError.self) { try await kubecfg().run("get", ["pods"]) }
        await #expect(throws: UsageError.self) { try await kubecfg().run("list", ["pods/jenkins"]) }
        await #expect(throws: UsageError.self) { try await kubecfg().run("create", ["pods"]) }
        await #expect(throws: UsageError.self) { try await kubecfg().run("explode", []) }
    }

    @Test("logs prints the container's log")
    func logs() async throws {
        client.setLog(pod: "jenkins", text: "started")
        try await kubecfg().run("logs", ["jenkins", "jenkins"])
        #expect(client.calls == ["LOGS pods/default/jenkins jenkins"])
        #expect(console.text == "started\n")
    }

    @Test("print parses -c without a master")
    func printVerb() async throws {
        try await kubecfg { $0.configFile = "service-http.json" }.run("print", [])
        #expect(client.calls.isEmpty)
        #expect(console.text.contains("jenkins                   name=jenkins                8888\n"))
    }
}

/// The durations a test's `sleep` was asked for.
final class SleepLog: Sendable {
    private let durations = Mutex<[Duration]>([])
    func append(_ duration: Duration) { durations.withLock { $0.append(duration) } }
    var all: [Duration] { durations.withLock { $0 } }
}
