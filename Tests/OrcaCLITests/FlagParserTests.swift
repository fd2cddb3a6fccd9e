import OrcaAPI
import OrcaCLI
import Testing

@Suite("kubecfg flags")
struct FlagParserTests {
    @Test("every flag, Go style, before the verb")
    func everyFlag() throws {
        let invocation = try FlagParser.parse([
            "-c", "pod.json", "-l", "name=jenkins", "-fields", "spec.nodeName=m1", "-json", "-h", "http://m:8080",
            "-p", "8080:80,443", "-s", "8888", "-u", "1m30s", "-image", "jenkins:2", "-ns", "ci",
            "-api_version", "v1beta1", "-verbose", "list", "pods",
        ])
        var expected = KubecfgOptions()
        expected.configFile = "pod.json"
        expected.labelSelector = "name=jenkins"
        expected.fieldSelector = "spec.nodeName=m1"
        expected.output = .json
        expected.host = "http://m:8080"
        expected.ports = [
            ContainerPort(containerPort: 80, hostPort: 8080, protocol: .tcp),
            ContainerPort(containerPort: 443, protocol: .tcp),
        ]
        expected.servicePort = 8888
        expected.updatePeriod = .seconds(90)
        expected.image = "jenkins:2"
        expected.namespace = "ci"
        expected.apiVersion = "v1beta1"
        expected.verbose = true
        #expect(invocation == Invocation(options: expected, verb: "list", arguments: ["pods"]))
    }

    @Test("defaults are the original's")
    func defaults() throws {
        let options = try FlagParser.parse(["list", "pods"]).options
        #expect(options == KubecfgOptions())
        #expect(options.servicePort == -1)
        #expect(options.updatePeriod == .seconds(60))
        #expect(options.namespace == "default")
        #expect(options.host == nil)
        #expect(options.output == .table)
    }

    @Test("-flag=value, --flag, and flags after the verb's arguments")
    func otherSpellings() throws {
        let invocation = try FlagParser.parse(["--c=x.yaml", "create", "pods", "-yaml", "--ns", "dev", "-json=false"])
        #expect(invocation.verb == "create")
        #expect(invocation.arguments == ["pods"])
        #expect(invocation.options.configFile == "x.yaml")
        #expect(invocation.options.output == .yaml)
        #expect(invocation.options.namespace == "dev")
    }

    @Test("-json wins over -yaml, as in the original")
    func jsonWins() throws {
        #expect(try FlagParser.parse(["-yaml", "-json", "list", "pods"]).options.output == .json)
        #expect(try FlagParser.parse(["-json", "-yaml", "list", "pods"]).options.output == .json)
    }

    @Test("-c - reads standard input; a negative number is an argument")
    func dashArguments() throws {
        let invocation = try FlagParser.parse(["-c", "-", "create", "pods"])
        #expect(invocation.options.configFile == "-")
        #expect(try FlagParser.parse(["resize", "rc", "-1"]).arguments == ["rc", "-1"])
        #expect(try FlagParser.parse(["--", "get", "-x"]).arguments == ["-x"])
    }

    @Test("-h is the master, not help; -help and --help ask for the usage")
    func help() throws {
        #expect(try FlagParser.parse(["-h", "http://m:8080", "list", "minions"]).options.host == "http://m:8080")
        #expect(try FlagParser.parse(["-help"]).options.help)
        #expect(try FlagParser.parse(["--help"]).options.help)
        #expect(throws: UsageError("flag needs an argument: -h")) { try FlagParser.parse(["-h"]) }
    }

    @Test("usage errors use Go's words", arguments: [
        (["-foo", "list", "pods"], "flag provided but not defined: -foo"),
        (["list", "pods", "-c"], "flag needs an argument: -c"),
        (["-u", "5x", "rollingupdate", "rc"],
         "invalid value \"5x\" for flag -u: not a duration such as 60s, 1m30s or 500ms"),
        (["-u", "-5s", "rollingupdate", "rc"], "invalid value \"-5s\" for flag -u: must not be negative"),
        (["-s", "http", "run", "a", "1", "b"], "invalid value \"http\" for flag -s: not a number"),
        (["-json=maybe", "list", "pods"], "invalid boolean value \"maybe\" for -json"),
        (["-api_version", "v1beta3", "list", "pods"],
         "invalid value \"v1beta3\" for flag -api_version: use v1 or v1beta1"),
        (["-p", "80:http", "run", "a", "1", "b"],
         "invalid port spec \"80:http\" in -p 80:http: want [hostPort:]containerPort, each from 1 to 65535"),
        ([], "no verb given"),
        (["-json"], "no verb given"),
    ])
    func usageErrors(arguments: [String], message: String) {
        #expect(throws: UsageError(message)) { try FlagParser.parse(arguments) }
    }

    @Test("Go durations", arguments: [
        ("60s", Duration.seconds(60)), ("1m", .seconds(60)), ("500ms", .milliseconds(500)), ("1h30m", .seconds(5400)),
        ("1.5s", .milliseconds(1500)), (".5m", .seconds(30)), ("0", .zero), ("10us", .microseconds(10)),
        ("10µs", .microseconds(10)), ("7ns", .nanoseconds(7)), ("+2s", .seconds(2)),
    ])
    func durations(text: String, duration: Duration) {
        #expect(GoDuration.parse(text) == duration)
    }

    @Test("not Go durations", arguments: ["", "5", "5x", "s", "1.2.3s", "m5", "1s2", "-", "1 s"])
    func badDurations(text: String) {
        #expect(GoDuration.parse(text) == nil)
    }

    @Test("durations print as Go prints them")
    func formatDurations() {
        #expect(GoDuration.format(.seconds(60)) == "1m0s")
        #expect(GoDuration.format(.seconds(300)) == "5m0s")
        #expect(GoDuration.format(.milliseconds(500)) == "500ms")
        #expect(GoDuration.format(.milliseconds(1500)) == "1.5s")
        #expect(GoDuration.format(.seconds(5400)) == "1h30m0s")
        #expect(GoDuration.format(.zero) == "0s")
    }

    @Test("the master: -h, else KUBERNETES_MASTER, else localhost:8080; http:// added")
    func master() {
        #expect(KubecfgCommand.masterURL(flag: "http://a:1", environment: ["KUBERNETES_MASTER": "http://b:2"])
            == "http://a:1")
        #expect(KubecfgCommand.masterURL(flag: nil, environment: ["KUBERNETES_MASTER": "http://b:2"]) == "http://b:2")
        #expect(KubecfgCommand.masterURL(flag: nil, environment: [:]) == "http://localhost:8080")
        #expect(KubecfgCommand.masterURL(flag: "10.245.1.2:8080", environment: [:]) == "http://10.245.1.2:8080")
    }
}

@Suite("kubecfg resource names")
struct ResourceNameTests {
    @Test("case-insensitive, singular, v1 and short names", arguments: [
        ("pods", ResourceKind.pods), ("Pods", .pods), ("pod", .pods), ("po", .pods),
        ("replicationControllers", .replicationControllers), ("replicationcontrollers", .replicationControllers),
        ("ReplicationController", .replicationControllers), ("rc", .replicationControllers),
        ("services", .services), ("Service", .services), ("svc", .services),
        ("minions", .minions), ("minion", .minions), ("nodes", .minions), ("Node", .minions),
        ("events", .events), ("event", .events), ("endpoints", .endpoints), ("endpoint", .endpoints),
    ])
    func normalise(word: String, kind: ResourceKind) {
        #expect(ResourceKind(normalising: word) == kind)
    }

    @Test("unknown words are refused")
    func unknown() {
        #expect(ResourceKind(normalising: "deployments") == nil)
        #expect(throws: UsageError("unknown resource \"widgets\": use one of \(ResourceKind.usageNames)")) {
            try ResourceArgument(["widgets/x"], verb: "get")
        }
    }

    @Test("<resource>/<id> and <resource> <id>")
    func arguments() throws {
        #expect(try ResourceArgument(["pods/jenkins"], verb: "get") == ResourceArgument(kind: .pods, name: "jenkins"))
        #expect(try ResourceArgument(["services", "jenkins"], verb: "get")
            == ResourceArgument(kind: .services, name: "jenkins"))
        #expect(try ResourceArgument(["minions"], verb: "list") == ResourceArgument(kind: .minions))
        #expect(throws: UsageError.self) { try ResourceArgument([], verb: "get") }
        #expect(throws: UsageError.self) { try ResourceArgument(["pods/"], verb: "get") }
        #expect(throws: UsageError.self) { try ResourceArgument(["pods/a", "b"], verb: "get") }
    }

    @Test("the kind names of manifests map to resources")
    func kinds() {
        #expect(ResourceKind(kind: "Pod") == .pods)
        #expect(ResourceKind(kind: "Minion") == .minions)
        #expect(ResourceKind(kind: "Node") == .minions)
        #expect(ResourceKind(kind: "ReplicationController") == .replicationControllers)
        #expect(ResourceKind(kind: "Deployment") == nil)
    }
}
