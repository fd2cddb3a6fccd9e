import Testing
@testable import OrcaAPI

/// Valid objects shaped like the seed's walkthrough; tests break one thing at a time.
enum Sample {
    static func container(_ name: String = "jenkins", image: String? = "csanchez/jenkins-swarm:1.565.3.3")
        -> Container {
        Container(name: name, image: image)
    }

    /// The walkthrough's jenkins pod, defaulted (so it is what the server would validate).
    static func pod(_ change: (inout Pod) -> Void = { _ in }) -> Pod {
        var jenkins = Container(
            name: "jenkins", image: "csanchez/jenkins-swarm:1.565.3.3",
            ports: [ContainerPort(name: "http", containerPort: 8080, hostPort: 8080),
                    ContainerPort(name: "slave", containerPort: 50000, hostPort: 50000)],
            env: [EnvVar(name: "JAVA_OPTS", value: "-Xmx512m")],
            volumeMounts: [VolumeMount(name: "jenkins-data", mountPath: "/var/jenkins_home")],
            resources: ResourceRequirements(limits: ["cpu": Quantity("1")!, "memory": Quantity("512Mi")!],
                                            requests: ["cpu": Quantity("100m")!]))
        jenkins.command = ["/usr/local/bin/jenkins.sh"]
        var pod = Pod(
            metadata: ObjectMeta(name: "jenkins", namespace: "default", labels: ["name": "jenkins"]),
            spec: PodSpec(containers: [jenkins],
                          volumes: [Volume(name: "jenkins-data", emptyDir: EmptyDirVolumeSource())]))
        pod.setDefaults()
        change(&pod)
        return pod
    }

    /// The walkthrough's jenkins-slave controller, defaulted.
    static func replicationController(_ change: (inout ReplicationController) -> Void = { _ in })
        -> ReplicationController {
        var rc = ReplicationController(
            metadata: ObjectMeta(name: "jenkins-slave", namespace: "default"),
            spec: ReplicationControllerSpec(
                replicas: 1,
                selector: ["name": "jenkins-slave"],
                template: PodTemplateSpec(
                    metadata: ObjectMeta(labels: ["name": "jenkins-slave"]),
                    spec: PodSpec(containers: [
                        container("jenkins-slave", image: "csanchez/jenkins-swarm-slave:1.21"),
                    ]))))
        rc.setDefaults()
        change(&rc)
        return rc
    }

    /// The walkthrough's jenkins service, defaulted.
    static func service(_ change: (inout Service) -> Void = { _ in }) -> Service {
        var service = Service(
            metadata: ObjectMeta(name: "jenkins", namespace: "default"),
            spec: ServiceSpec(ports: [ServicePort(port: 8888, targetPort: .int(8080))], selector: ["name": "jenkins"]))
        service.setDefaults()
        change(&service)
        return service
    }

    static func endpoints(_ change: (inout Endpoints) -> Void = { _ in }) -> Endpoints {
        var endpoints = Endpoints(
            metadata: ObjectMeta(name: "jenkins", namespace: "default"),
            subsets: [EndpointSubset(addresses: [EndpointAddress(ip: "10.244.1.7", nodeName: "minion-1")],
                                     ports: [EndpointPort(port: 8080)])])
        endpoints.setDefaults()
        change(&endpoints)
        return endpoints
    }

    static func node(_ change: (inout Node) -> Void = { _ in }) -> Node {
        var node = Node(metadata: ObjectMeta(name: "10.245.2.2"), spec: NodeSpec(podCIDR: "10.244.1.0/24"),
                        status: NodeStatus(capacity: ["cpu": Quantity("2")!, "memory": Quantity("4Gi")!]))
        node.setDefaults()
        change(&node)
        return node
    }

    static func event(_ change: (inout Event) -> Void = { _ in }) -> Event {
        var event = Event(
            metadata: ObjectMeta(name: "jenkins.1", namespace: "default"),
            involvedObject: ObjectReference(kind: "Pod", namespace: "default", name: "jenkins"),
            reason: "Scheduled", message: "Successfully assigned jenkins to minion-1")
        event.setDefaults()
        change(&event)
        return event
    }
}

/// The field paths of `errors`, in order.
func paths(_ errors: [FieldError]) -> [String] { errors.map(\.field) }

/// The `field: message` lines of `errors`, in order.
func lines(_ errors: [FieldError]) -> [String] { errors.map(\.description) }

let labelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    + "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
    + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"

@Suite struct ValidationHelpersTests {
    @Test(arguments: [
        ("a", true), ("my-name", true), ("123-abc", true), ("0", true), (String(repeating: "a", count: 63), true),
        ("", false), ("-a", false), ("a-", false), ("My-name", false), ("a.b", false), ("a_b", false),
        (String(repeating: "a", count: 64), false), ("ä", false),
    ])
    func dns1123Label(value: String, valid: Bool) {
        #expect(Validation.isDNS1123Label(value) == valid)
    }

    @Test func dns1123LabelMessagesAreKubernetesWords() {
        #expect(Validation.dns1123LabelErrors("My_Name") == [labelMessage])
        #expect(Validation.dns1123LabelErrors(String(repeating: "a", count: 64))
            == ["must be no more than 63 characters"])
        #expect(Validation.dns1123LabelErrors(String(repeating: "A", count: 64)).count == 2)
    }

    @Test(arguments: [
        ("example.com", true), ("jenkins-slave", true), ("a.b.c", true), ("10.245.2.2", true),
        (String(repeating: "a", count: 63) + "." + String(repeating: "b", count: 63), true),
        ("", false), (".a", false), ("a.", false), ("a..b", false), ("A.b", false), ("a_b.c", false),
        (Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: "."), false),
    ])
    func dns1123Subdomain(value: String, valid: Bool) {
        #expect(Validation.isDNS1123Subdomain(value) == valid)
    }

    @Test(arguments: [
        ("jenkins", true), ("jenkins-slave", true), ("a1", true),
        ("1jenkins", false), ("-a", false), ("jenkins.slave", false), ("Jenkins", false), ("", false),
    ])
    func dns1035Label(value: String, valid: Bool) {
        #expect(Validation.isDNS1035Label(value) == valid)
    }

    @Test(arguments: [
        ("name", true), ("Name", true), ("my.name", true), ("my_name", true), ("123-abc", true),
        ("example.com/name", true), ("kubernetes.io/created-by", true), (String(repeating: "a", count: 63), true),
        ("", false), ("-name", false), ("name-", false), ("na me", false), ("/name", false), ("example.com/", false),
        ("a/b/c", false), ("Example.com/name", false), (String(repeating: "a", count: 64), false),
    ])
    func qualifiedName(value: String, valid: Bool) {
        #expect(Validation.isQualifiedName(value) == valid)
    }

    @Test func qualifiedNameMessagesNameThePart() {
        #expect(Validation.qualifiedNameErrors("/name") == ["prefix part must be non-empty"])
        #expect(Validation.qualifiedNameErrors("example.com/") == ["name part must be non-empty"])
        let prefixErrors = Validation.qualifiedNameErrors("Example.com/x")
        #expect(prefixErrors.count == 1)
        #expect(prefixErrors.first?.hasPrefix("prefix part a lowercase RFC 1123 subdomain") == true)
        #expect(Validation.qualifiedNameErrors("a/b/c").first?.hasPrefix("a qualified name must consist of") == true)
        #expect(Validation.qualifiedNameErrors(String(repeating: "a", count: 64))
            == ["name part must be no more than 63 characters"])
    }

    @Test(arguments: [
        ("", true), ("jenkins", true), ("MyValue", true), ("my_value", true), ("1.0", true),
        ("-a", false), ("a b", false), ("a/b", false), (String(repeating: "v", count: 64), false),
    ])
    func labelValue(value: String, valid: Bool) {
        #expect(Validation.isValidLabelValue(value) == valid)
    }

    @Test(arguments: [
        ("http", true), ("jenkins-ui", true), ("h2", true), ("a-b-c", true), (String(repeating: "a", count: 15), true),
        ("", false), ("HTTP", false), ("80", false), ("a--b", false), ("-http", false), ("http-", false),
        ("web_ui", false), (String(repeating: "a", count: 16), false),
    ])
    func ianaServiceName(value: String, valid: Bool) {
        #expect(Validation.isIANASvcName(value) == valid)
    }

    @Test func ianaServiceNameMessages() {
        #expect(Validation.ianaServiceNameErrors("80") == ["must contain at least one letter (a-z)"])
        #expect(Validation.ianaServiceNameErrors("a--b") == ["must not contain consecutive hyphens (-)"])
        #expect(Validation.ianaServiceNameErrors("HTTP") == [
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            "must contain at least one letter (a-z)",
        ])
    }

    @Test(arguments: [
        ("PATH", true), ("my.env-name", true), ("MY_ENV.NAME", true), ("_x", true), ("MyEnvName1", true),
        ("", false), ("1ABC", false), ("A B", false), ("A=B", false), (".", false), ("..", false), ("..x", false),
    ])
    func envVarName(value: String, valid: Bool) {
        #expect(Validation.isEnvVarName(value) == valid)
    }

    @Test(arguments: [
        ("10.244.1.7", true), ("0.0.0.0", true), ("255.255.255.255", true), ("127.0.0.1", true),
        ("", false), ("10.0.0", false), ("10.0.0.256", false), ("10.0.0.01", false), ("10.0.0.1.2", false),
        ("a.b.c.d", false), ("10.0.0.-1", false), ("::1", false), (" 10.0.0.1", false),
    ])
    func ipv4(value: String, valid: Bool) {
        #expect(Validation.isIPv4(value) == valid)
    }

    @Test func ipv4ParsesToANumber() {
        #expect(Validation.parseIPv4("10.244.1.7") == 0x0AF4_0107)
    }

    @Test(arguments: [
        ("10.244.1.0/24", true), ("0.0.0.0/0", true), ("10.0.0.0/32", true), ("10.244.1.5/24", true),
        ("10.244.1.0", false), ("10.244.1.0/33", false), ("10.244.1.0/", false), ("/24", false),
        ("10.244.1.0/024", false), ("10.244.1/24", false), ("10.244.1.0/24/1", false),
    ])
    func ipv4CIDR(value: String, valid: Bool) {
        #expect(Validation.isIPv4CIDR(value) == valid)
    }

    @Test func generateNamePrefixMayEndWithADash() {
        #expect(NameValidator.dns1123Subdomain.errors("jenkins-", prefix: true).isEmpty)
        #expect(!NameValidator.dns1123Subdomain.errors("jenkins-").isEmpty)
        #expect(!NameValidator.dns1035Label.errors("1jenkins-", prefix: true).isEmpty)
    }

    @Test func fieldErrorsBecomeStatusCauses() {
        let error = FieldError.notFound("spec.containers[0].volumeMounts[0].name", "data")
        #expect(error.description == "spec.containers[0].volumeMounts[0].name: Not found: \"data\"")
        #expect(error.cause == StatusCause(reason: "FieldValueNotFound", message: "Not found: \"data\"",
                                           field: "spec.containers[0].volumeMounts[0].name"))
    }
}
