import Foundation
import OrcaAPI
import OrcaTesting
import Testing

/// The hand-written JSON of pods (FastJSON) against the Codable conformances: the same bytes out,
/// the same values in, and a decline (never a different value) for what it does not read alike.
struct FastJSONTests {
    private static func codableBytes<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    @Test func aPodWithEveryFieldEncodesAndDecodesAsCodableDoes() throws {
        let pod = Self.everyField()
        #expect(Self.nilOptionals(pod).isEmpty, "set these in everyField(): \(Self.nilOptionals(pod))")
        let expected = try Self.codableBytes(pod)
        let fast = try #require(FastJSON.encode(pod))
        #expect(String(decoding: fast, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        let decoded = try #require(FastJSON.decode(Pod.self, from: expected))
        #expect(decoded == (try JSONDecoder().decode(Pod.self, from: expected)))
        #expect(decoded == pod)
        // Equatable compares Quantity by value; the text must survive too.
        #expect(decoded.spec?.containers[0].resources?.requests?["cpu"]?.text == "100m")
    }

    @Test(arguments: 0..<400) func randomPodsEncodeAndDecodeAsCodableDoes(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed))
        let pod = Self.randomPod(&random)
        let expected = try Self.codableBytes(pod)
        let fast = try #require(FastJSON.encode(pod))
        #expect(String(decoding: fast, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        let decoded = try #require(FastJSON.decode(Pod.self, from: expected), "\(String(decoding: expected, as: UTF8.self))")
        #expect(decoded == (try JSONDecoder().decode(Pod.self, from: expected)))
        // JSON.encode takes the hand-written path for pods.
        #expect(JSON.encode(pod) == expected)
    }

    /// Inputs the reader must either decline or read exactly as JSONDecoder does.
    @Test(arguments: [
        // Read by hand.
        (#" { "metadata" : { "name" : "a" } , "spec" : { "containers" : [ ] } } "#, true),
        (#"{"metadata":{"name":"caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \n\t"},"x":[1,-2.5e+3,{"y":null},true,"z"]}"#, true),
        (#"{"metadata":{"labels":{"b":"1","a":"2"}},"spec":{"containers":[{"name":"c","ports":[{"containerPort":-0}]}]}}"#, true),
        (#"{"metadata":{},"spec":{"containers":[{"resources":{"limits":{"cpu":2,"memory":"64Mi"}}}]}}"#, true),
        (#"{"metadata":{"creationTimestamp":"2014-11-27T10:36:24Z"},"status":{"startTime":"2014-11-27T10:36:24.5Z"}}"#, true),
        // Declined.
        (#"{"metadata":{"name":null}}"#, false),
        (#"{"metadata":{"name":"a","name":"b"}}"#, false),
        (#"{"metadata":{"labels":{"a":"1","a":"2"}}}"#, false),
        (#"{"metadata":{"generation":5.0}}"#, false),
        (#"{"metadata":{"generation":1e2}}"#, false),
        (#"{"metadata":{"generation":9223372036854775808}}"#, false),
        (#"{"metadata":{"generation":01}}"#, false),
        (#"{"metadata":{},"spec":{"restartPolicy":"Sometimes"}}"#, false),
        (#"{"metadata":{},"status":{"phase":"Dancing"}}"#, false),
        (#"{"metadata":{},"spec":{"containers":[{"resources":{"limits":{"cpu":0.5}}}]}}"#, false),
        (#"{"metadata":{"name":"a",}}"#, false),
        (#"{"metadata":{"name":"a" "uid":"b"}}"#, false),
        (#"{"metadata":{"name":"\ud800"}}"#, false),
        (#"{"metadata":{"name":"a\u0001b"}}"#.replacingOccurrences(of: "\\u0001", with: "\u{01}"), false),
        (#"{"metadata":{"name":"a"}} x"#, false),
        (#"{"metadata":{"name":"a"}"#, false),
        (#"{"spec":{}}"#, false),
        (#"{"metadata":{"na\u006de":"a"}}"#, false),
        (#"{"metadata":{"x":[1,]}}"#, false),
        (#"{"metadata":{"x":tru}}"#, false),
        (#"{"metadata":{"creationTimestamp":"yesterday"}}"#, false),
    ])
    func readsAsJSONDecoderOrDeclines(json: String, readByHand: Bool) throws {
        let data = Data(json.utf8)
        let fast = FastJSON.decode(Pod.self, from: data)
        #expect((fast != nil) == readByHand)
        if let fast {
            #expect(fast == (try JSONDecoder().decode(Pod.self, from: data)))
        }
    }

    @Test func timestampsAsTheFormatStyleWritesAndReadsThem() throws {
        var random = SplitMix64(seed: 7)
        for _ in 0..<2000 {
            // Years 1000-9999, with fractions of a second (Date() has them).
            let seconds = Double(Int64.random(in: -30_610_224_000...253_402_300_799, using: &random))
                + Double(Int.random(in: 0..<1000, using: &random)) / 1000
            let timestamp = Timestamp(Date(timeIntervalSince1970: seconds))
            let data = try Self.codableBytes([timestamp])
            let json = String(decoding: data, as: UTF8.self)
            #expect(FastJSON.encode([timestamp]).map { String(decoding: $0, as: UTF8.self) } == json, "\(seconds)")
            let decoded = try #require(FastJSON.decode([Timestamp].self, from: data), "\(json)")
            #expect(decoded == (try JSONDecoder().decode([Timestamp].self, from: data)), "\(json)")
        }
        // Invalid days go to the format style, which decides.
        for text in ["2023-02-29T00:00:00Z", "2024-02-29T23:59:59Z", "2023-13-01T00:00:00Z", "2023-01-01T24:00:00Z"] {
            let data = Data("[\"\(text)\"]".utf8)
            let fast = FastJSON.decode([Timestamp].self, from: data)
            let codable = try? JSONDecoder().decode([Timestamp].self, from: data)
            #expect(fast == codable, "\(text)")
        }
    }

    @Test func watchLinesOfPodsAreReadByHand() throws {
        let pod = Self.everyField()
        let line = Data(#"{"object":"#.utf8) + (try Self.codableBytes(pod)) + Data(#","type":"MODIFIED"}"#.utf8)
        let read = try #require(FastJSON.decodeWatchLine(Pod.self, from: line))
        #expect(read.type == "MODIFIED")
        #expect(read.object == pod)
        #expect(FastJSON.decodeWatchLine(Pod.self, from: Data(#"{"type":"ADDED","object":null}"#.utf8)) == nil)
        #expect(FastJSON.decodeWatchLine(Service.self, from: line) == nil)
    }

    // MARK: Fixtures

    private static func everyField() -> Pod {
        let time = Timestamp(Date(timeIntervalSince1970: 1_417_084_584))
        var meta = ObjectMeta(name: "jenkins-x7k2q", generateName: "jenkins-", namespace: "default",
                              labels: ["name": "jenkins", "Tier": "ci/cd \"x\""], annotations: ["note": "é\n😀"])
        meta.uid = "0b7e4c9a-1"
        meta.resourceVersion = "42"
        meta.generation = 3
        meta.creationTimestamp = time
        meta.deletionTimestamp = time
        meta.deletionGracePeriodSeconds = 30
        meta.selfLink = "/api/v1/namespaces/default/pods/jenkins-x7k2q"
        meta.ownerReferences = [OwnerReference(kind: "ReplicationController", name: "jenkins", uid: "u-1")]
        meta.finalizers = ["example.com/keep"]
        var container = Container(
            name: "jenkins", image: "jenkins/jenkins:1.0", command: ["/bin/sh", "-c"], args: ["echo \\ hi"],
            ports: [ContainerPort(name: "http", containerPort: 8080, hostPort: 8080, protocol: .tcp)],
            env: [EnvVar(name: "A", value: "1"), EnvVar(name: "B", value: "")],
            volumeMounts: [VolumeMount(name: "home", mountPath: "/var/jenkins_home", readOnly: false)],
            resources: ResourceRequirements(limits: ["memory": Quantity("64Mi")!, "cpu": Quantity("1")!],
                                            requests: ["cpu": Quantity("100m")!]))
        container.ports?[0].hostIP = "10.245.2.2"
        container.workingDir = "/"
        container.imagePullPolicy = .ifNotPresent
        container.terminationMessagePath = "/dev/termination-log"
        container.securityContext = SecurityContext(privileged: false)
        var spec = PodSpec(containers: [container],
                           volumes: [Volume(name: "home", emptyDir: EmptyDirVolumeSource(medium: "Memory"),
                                            hostPath: HostPathVolumeSource(path: "/srv"))],
                           restartPolicy: .always, nodeSelector: ["disk": "ssd"], nodeName: "10.245.2.2")
        spec.terminationGracePeriodSeconds = 30
        spec.dnsPolicy = "ClusterFirst"
        spec.hostNetwork = false
        var status = PodStatus(phase: .running)
        var condition = PodCondition(type: "Ready", status: "True", reason: "r", message: "m", lastTransitionTime: time)
        condition.lastProbeTime = time
        status.conditions = [condition]
        status.message = "m"
        status.reason = "r"
        status.hostIP = "10.245.2.2"
        status.podIP = "10.244.1.5"
        status.startTime = time
        var containerStatus = ContainerStatus(
            name: "jenkins",
            state: ContainerState(waiting: ContainerStateWaiting(reason: "CrashLoopBackOff", message: "back-off"),
                                  running: ContainerStateRunning(startedAt: time),
                                  terminated: ContainerStateTerminated(exitCode: 137, signal: 9, reason: "OOMKilled",
                                                                       message: "m", startedAt: time, finishedAt: time)),
            ready: true, restartCount: 2, image: "jenkins/jenkins:1.0")
        containerStatus.state?.terminated?.containerID = "runc://abc"
        containerStatus.lastState = containerStatus.state
        containerStatus.imageID = "sha256:abc"
        containerStatus.containerID = "runc://abc"
        status.containerStatuses = [containerStatus]
        var pod = Pod(metadata: meta, spec: spec, status: status)
        pod.apiVersion = "v1"
        return pod
    }

    /// Paths of optionals left nil in `value` (a field added to the kinds shows up here).
    private static func nilOptionals(_ value: Any, path: String = "") -> [String] {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let child = mirror.children.first else { return [path] }
            return nilOptionals(child.value, path: path)
        }
        // Quantity and Timestamp are leaves; dictionaries are data.
        if value is Quantity || value is Timestamp || mirror.displayStyle == .dictionary { return [] }
        var found: [String] = []
        for (index, child) in mirror.children.enumerated() {
            found += nilOptionals(child.value, path: path + "." + (child.label ?? "[\(index)]"))
        }
        return found
    }

    private static func randomPod(_ random: inout SplitMix64) -> Pod {
        func maybe<T>(_ make: () -> T) -> T? { Bool.random(using: &random) ? make() : nil }
        func text() -> String {
            let pieces = ["a", "Z", "0", "-", "_", ".", "/", "\"", "\\", "\n", "\t", "\u{01}", "\u{1f}", "\u{7f}",
                          "é", "😀", "\u{2028}", " ", "~"]
            return (0..<Int.random(in: 0...8, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
        }
        func map() -> [String: String] {
            Dictionary((0..<Int.random(in: 0...5, using: &random)).map { _ in (text(), text()) },
                       uniquingKeysWith: { first, _ in first })
        }
        func time() -> Timestamp {
            Timestamp(Date(timeIntervalSince1970: Double.random(in: 0...4_000_000_000, using: &random)))
        }
        var meta = ObjectMeta(name: maybe(text), generateName: maybe(text), namespace: maybe(text),
                              labels: maybe(map), annotations: maybe(map))
        meta.uid = maybe(text)
        meta.resourceVersion = maybe { String(Int.random(in: 0...1_000_000, using: &random)) }
        meta.generation = maybe { Int64.random(in: .min ... .max, using: &random) }
        meta.creationTimestamp = maybe(time)
        let containers = (0..<Int.random(in: 0...3, using: &random)).map { _ in
            var c = Container(name: text(), image: maybe(text), command: maybe { [text(), text()] }, args: maybe { [text()] },
                              ports: maybe { [ContainerPort(name: maybe(text), containerPort: Int.random(in: -5...70000, using: &random),
                                                            hostPort: maybe { Int.random(in: 0...65535, using: &random) },
                                                            protocol: maybe { PortProtocol(rawValue: text()) })] },
                              env: maybe { [EnvVar(name: text(), value: maybe(text))] },
                              resources: maybe { ResourceRequirements(
                                  limits: maybe { ["cpu": Quantity(milli: Int64.random(in: 0...10_000, using: &random))] },
                                  requests: maybe { ["memory": Quantity(integer: Int64.random(in: 0...1 << 40, using: &random))] }) })
            c.imagePullPolicy = maybe { PullPolicy.allCases.randomElement(using: &random)! }
            return c
        }
        let spec = maybe { PodSpec(containers: containers, restartPolicy: maybe { RestartPolicy.allCases.randomElement(using: &random)! },
                                   nodeSelector: maybe(map), nodeName: maybe(text)) }
        let status = maybe { () -> PodStatus in
            var s = PodStatus(phase: maybe { PodPhase.allCases.randomElement(using: &random)! })
            s.podIP = maybe(text)
            s.startTime = maybe(time)
            s.conditions = maybe { [PodCondition(type: text(), status: text(), lastTransitionTime: maybe(time))] }
            s.containerStatuses = maybe { [ContainerStatus(
                name: text(), state: ContainerState(running: ContainerStateRunning(startedAt: maybe(time))),
                ready: Bool.random(using: &random), restartCount: Int.random(in: 0...100, using: &random), image: text())] }
            return s
        }
        var pod = Pod(metadata: meta, spec: spec, status: status)
        pod.apiVersion = maybe { "v1" }
        pod.kind = maybe { "Pod" }
        return pod
    }
}

/// Bindings: the scheduler posts one per pod.
struct FastJSONBindingTests {
    @Test(arguments: [
        (#"{"apiVersion":"v1","kind":"Binding","metadata":{"name":"p","resourceVersion":"7"},"target":{"kind":"Node","name":"m1"}}"#, true),
        (#"{"metadata":{},"target":{"apiVersion":"v1","fieldPath":"f","kind":"Node","name":"m","namespace":"n","resourceVersion":"1","uid":"u"}}"#, true),
        // Without metadata or target the Codable path decides (it fills in empty ones).
        (#"{"target":{"name":"m1"}}"#, false),
        (#"{"metadata":{"name":"p"}}"#, false),
        (#"{"metadata":{"name":"p"},"target":null}"#, false),
    ])
    func readsAsJSONDecoderOrDeclines(json: String, readByHand: Bool) throws {
        let data = Data(json.utf8)
        let fast = FastJSON.decode(Binding.self, from: data)
        #expect((fast != nil) == readByHand)
        if let fast {
            let codable = try JSONDecoder().decode(Binding.self, from: data)
            #expect(fast == codable)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            #expect(FastJSON.encode(fast) == (try encoder.encode(codable)))
        }
    }
}
