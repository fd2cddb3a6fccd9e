import OrcaAPI
import OrcaCLI
import Testing

/// The seed's tables: Go tabwriter columns (minwidth 10, padding 3), headers underlined.
@Suite("kubecfg tables")
struct TableTests {
    let printer = ObjectPrinter()

    @Test("a new pod is Pending and <unassigned>")
    func pendingPod() throws {
        #expect(printer.print(try SeedObjects.pendingPod()) == """
            Name         Image(s)                           Host           Labels         Status
            ----------   ----------                         ----------     ----------     ----------
            jenkins      csanchez/jenkins-swarm:1.565.3.3   <unassigned>   name=jenkins   Pending

            """)
    }

    @Test("a running pod shows minion/hostIP")
    func runningPod() throws {
        #expect(printer.print(ObjectList(items: [try SeedObjects.runningPod()])) == """
            Name         Image(s)                           Host                    Labels         Status
            ----------   ----------                         ----------              ----------     ----------
            jenkins      csanchez/jenkins-swarm:1.565.3.3   10.245.2.3/10.245.2.3   name=jenkins   Running

            """)
    }

    @Test("a bound pod whose minion has not reported yet shows the minion alone")
    func boundPod() throws {
        var pod = try SeedObjects.pendingPod()
        pod.spec?.nodeName = "10.245.2.2"
        #expect(pod.tableRow[2] == "10.245.2.2")
    }

    @Test("pods with several images and labels: comma-joined, labels sorted by key")
    func severalImages() {
        let pod = Pod(
            metadata: ObjectMeta(name: "web", labels: ["tier": "front", "app": "shop"]),
            spec: PodSpec(containers: [Container(name: "a", image: "nginx"), Container(name: "b", image: "redis")]),
            status: PodStatus(phase: .failed))
        #expect(pod.tableRow == ["web", "nginx,redis", "<unassigned>", "app=shop,tier=front", "Failed"])
    }

    @Test("the replication controller")
    func controller() throws {
        #expect(printer.print(try SeedObjects.controller()) == """
            Name            Image(s)                            Selector             Replicas
            ----------      ----------                          ----------           ----------
            jenkins-slave   csanchez/jenkins-swarm-slave:1.21   name=jenkins-slave   1

            """)
    }

    @Test("services, with the master's own")
    func services() throws {
        let list = ObjectList(items: [
            SeedObjects.masterService("kubernetes-ro", port: 80, clusterIP: "10.0.22.155"),
            SeedObjects.masterService("kubernetes", port: 443, clusterIP: "10.0.72.49"),
            try SeedObjects.service("service-http.json", clusterIP: "10.0.29.247"),
            try SeedObjects.service("service-slave.json", clusterIP: "10.0.86.28"),
        ])
        #expect(printer.print(list) == """
            Name            Labels       Selector                                  IP            Port
            ----------      ----------   ----------                                ----------    ----------
            kubernetes-ro                component=apiserver,provider=kubernetes   10.0.22.155   80
            kubernetes                   component=apiserver,provider=kubernetes   10.0.72.49    443
            jenkins                      name=jenkins                              10.0.29.247   8888
            jenkins-slave                name=jenkins                              10.0.86.28    50000

            """)
    }

    @Test("minions: one column, as kubecfg list minions")
    func minions() {
        let list = ObjectList(items: [
            Node(metadata: ObjectMeta(name: "10.245.2.2")), Node(metadata: ObjectMeta(name: "10.245.2.3")),
        ])
        #expect(printer.print(list) == """
            Minion identifier
            ----------
            10.245.2.2
            10.245.2.3

            """)
    }

    @Test("an empty list prints the header alone")
    func emptyList() {
        #expect(printer.print(ObjectList<Node>(items: [])) == "Minion identifier\n----------\n")
    }

    @Test("events")
    func events() {
        let event = Event(
            metadata: ObjectMeta(name: "jenkins.1", namespace: "default"),
            involvedObject: ObjectReference(kind: "Pod", name: "jenkins"), reason: "FailedScheduling",
            message: "0/2 minions: 2 hostPort 8080 in use", type: "Warning")
        #expect(printer.print(event) == """
            Name         Kind         Status       Reason             Message
            ----------   ----------   ----------   ----------         ----------
            jenkins      Pod          Warning      FailedScheduling   0/2 minions: 2 hostPort 8080 in use

            """)
    }

    @Test("delete answers with a Status table")
    func status() {
        #expect(printer.print(Status.success()) == "Status\n----------\nSuccess\n")
    }

    @Test("-json prints the v1 object, -api_version v1beta1 the seed's shape")
    func jsonOutput() throws {
        let pod = try SeedObjects.pendingPod()
        let v1 = ObjectPrinter(format: .json).print(pod)
        #expect(v1.contains("\"apiVersion\" : \"v1\""))
        #expect(v1.contains("\"nodeName\"") == false)
        #expect(v1.hasSuffix("}\n"))
        let beta = ObjectPrinter(format: .json, apiVersion: "v1beta1").print(pod)
        #expect(beta.contains("\"desiredState\""))
        #expect(beta.contains("\"id\" : \"jenkins\""))
        let yaml = ObjectPrinter(format: .yaml).print(ObjectList(items: [pod]))
        #expect(yaml.hasPrefix("apiVersion: v1\nitems:\n"))
        #expect(yaml.contains("kind: PodList"))
    }

    @Test("tabwriter: the last cell is not padded, wide cells widen their column")
    func tabWriter() {
        #expect(TabWriter().format([["a", "b"], ["a-very-long-cell", "c"]])
            == "a" + String(repeating: " ", count: 18) + "b\n" + "a-very-long-cell   c\n")
        #expect(TabWriter().format([["x", "", "z"]]) == "x" + String(repeating: " ", count: 19) + "z\n")
    }
}
