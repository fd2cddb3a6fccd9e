import Foundation
import Testing
@testable import OrcaAPI
import OrcaManifest

/// The seed's manifests (Tests/OrcaAPITests/Fixtures), bundled as test resources.
enum Fixture {
    static func data(_ file: String) throws -> Data {
        let name = (file as NSString).deletingPathExtension
        let ext = (file as NSString).pathExtension
        let url = try #require(
            Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures"),
            "fixture \(file) is not in the test bundle")
        return try Data(contentsOf: url)
    }

    /// Parses a fixture (JSON or YAML) as the manifest decoder does for a request body.
    static func decode<T: Decodable>(_ type: T.Type, _ file: String) throws -> T {
        try ManifestDecoder.decode(type, from: ManifestDecoder.object(from: data(file)))
    }

    static func v1<T: V1Beta1Convertible>(_ type: T.Type, _ file: String) throws -> T {
        try T(v1beta1: decode(T.V1Beta1Object.self, file))
    }
}

@Suite("Seed fixtures")
struct FixtureTests {
    @Test func podJSONConvertsToTheJenkinsPod() throws {
        let beta = try Fixture.decode(V1Beta1.Pod.self, "pod.json")
        #expect(beta.id == "jenkins")
        #expect(beta.typeMeta.kind == "Pod")
        #expect(beta.typeMeta.apiVersion == "v1beta1")

        let pod = try Pod(v1beta1: beta)
        #expect(pod.metadata.name == "jenkins")
        // The server fills in the namespace the request addresses.
        #expect(pod.metadata.namespace == nil)
        #expect(pod.metadata.labels == ["name": "jenkins"])
        let spec = try #require(pod.spec)
        #expect(spec.nodeName == nil)
        #expect(spec.containers.count == 1)
        let jenkins = try #require(spec.containers.first)
        #expect(jenkins.name == "jenkins")
        #expect(jenkins.image == "csanchez/jenkins-swarm:1.565.3.3")
        #expect(jenkins.command == nil)
        #expect(jenkins.args == nil)
        #expect(jenkins.ports?.map(\.containerPort) == [8080, 50000])
        #expect(jenkins.ports?.map(\.hostPort) == [8080, 50000])
        #expect(jenkins.volumeMounts == [VolumeMount(name: "jenkins-data", mountPath: "/var/jenkins_home")])
        #expect(jenkins.resources == nil)
        #expect(spec.volumes == [Volume(name: "jenkins-data", emptyDir: EmptyDirVolumeSource())])
    }

    @Test func replicationJSONConvertsToTheSlaveController() throws {
        let rc = try Fixture.v1(ReplicationController.self, "replication.json")
        #expect(rc.metadata.name == "jenkins-slave")
        #expect(rc.metadata.labels == ["name": "jenkins-slave"])
        let spec = try #require(rc.spec)
        #expect(spec.replicas == 1)
        #expect(spec.selector == ["name": "jenkins-slave"])
        #expect(spec.template?.metadata?.labels == ["name": "jenkins-slave"])
        let slave = try #require(spec.template?.spec?.containers.first)
        #expect(spec.template?.spec?.containers.count == 1)
        #expect(slave.name == "jenkins-slave")
        #expect(slave.image == "csanchez/jenkins-swarm-slave:1.21")
        #expect(slave.command?.count == 3)
        #expect(slave.command?.prefix(2) == ["sh", "-c"])
        let master = "/usr/local/bin/jenkins-slave.sh -master http://$JENKINS_SERVICE_HOST:$JENKINS_SERVICE_PORT"
        #expect(slave.command?.last?.hasPrefix(master + " -tunnel $JENKINS_SLAVE_SERVICE_HOST:") == true)
        #expect(slave.command?.last?.hasSuffix("-executors 1") == true)
        #expect(slave.args == nil)
    }

    @Test func serviceHTTPForwards8888To8080() throws {
        let service = try Fixture.v1(Service.self, "service-http.json")
        #expect(service.metadata.name == "jenkins")
        #expect(service.spec?.ports == [ServicePort(port: 8888, targetPort: .int(8080))])
        #expect(service.spec?.selector == ["name": "jenkins"])
        #expect(service.spec?.clusterIP == nil)
        #expect(service.spec?.type == nil)
    }

    @Test func serviceSlaveForwards50000() throws {
        let service = try Fixture.v1(Service.self, "service-slave.json")
        #expect(service.metadata.name == "jenkins-slave")
        #expect(service.spec?.ports == [ServicePort(port: 50000, targetPort: .int(50000))])
        #expect(service.spec?.selector == ["name": "jenkins"])
    }

    /// What the API server does before storing: the request's namespace, defaults, validation.
    private func admitted<T: V1Beta1Convertible>(_ type: T.Type, _ file: String) throws -> T {
        var object = try Fixture.v1(T.self, file)
        if T.namespaced { object.metadata.namespace = object.metadata.namespace ?? "default" }
        object.setDefaults()
        return object
    }

    @Test("converted fixtures validate cleanly", arguments: ["pod.json", "pod.yaml"])
    func podValidates(file: String) throws {
        let pod = try admitted(Pod.self, file)
        #expect(pod.validate() == [])
    }

    @Test func replicationValidates() throws {
        let rc = try admitted(ReplicationController.self, "replication.json")
        #expect(rc.validate() == [])
    }

    @Test(arguments: ["service-http.json", "service-slave.json"])
    func serviceValidates(file: String) throws {
        let service = try admitted(Service.self, file)
        #expect(service.validate() == [])
    }

    @Test func podRoundTrips() throws { try roundTrip(Pod.self, "pod.json") }
    @Test func replicationRoundTrips() throws { try roundTrip(ReplicationController.self, "replication.json") }
    @Test(arguments: ["service-http.json", "service-slave.json"])
    func serviceRoundTrips(file: String) throws { try roundTrip(Service.self, file) }

    /// v1beta1 -> v1 -> v1beta1 -> v1 gives the same v1 value, also through the JSON text
    /// and after defaulting.
    private func roundTrip<T: V1Beta1Convertible>(_ type: T.Type, _ file: String) throws {
        let first = try Fixture.v1(T.self, file)
        let again = try T(v1beta1: first.v1beta1)
        #expect(again == first)

        let wire = try ManifestDecoder.decode(T.V1Beta1Object.self, json: JSON.encode(first.v1beta1))
        #expect(try T(v1beta1: wire) == first)

        var defaulted = first
        defaulted.setDefaults()
        var defaultedAgain = try T(v1beta1: defaulted.v1beta1)
        defaultedAgain.setDefaults()
        #expect(defaultedAgain == defaulted)
    }

    @Test func podYAMLDecodesLikePodJSON() throws {
        let json = try Fixture.decode(V1Beta1.Pod.self, "pod.json")
        let yaml = try Fixture.decode(V1Beta1.Pod.self, "pod.yaml")
        #expect(yaml == json)
        #expect(try Pod(v1beta1: yaml) == Pod(v1beta1: json))
    }

    @Test func fixturesRefuseTheWrongKind() throws {
        #expect(throws: APIError.self) { try Service(v1beta1Body: Fixture.data("pod.json")) }
        let pod = try Pod(v1beta1Body: Fixture.data("pod.json"))
        #expect(pod.metadata.name == "jenkins")
    }

    @Test func v1PodWithStatusShowsAsCurrentState() throws {
        let pod = try Fixture.decode(Pod.self, "pod-v1.yaml")
        let beta = pod.v1beta1
        #expect(beta.typeMeta.kind == "Pod")
        #expect(beta.typeMeta.apiVersion == "v1beta1")
        #expect(beta.id == "jenkins")
        #expect(beta.uid == "901e8027-759b-11e4-bfd0-0800279696e1")
        #expect(beta.resourceVersion == 42)
        #expect(beta.creationTimestamp?.description == "2014-11-27T10:36:24Z")
        #expect(beta.labels == ["name": "jenkins"])

        let desired = try #require(beta.desiredState)
        #expect(desired.host == "10.245.2.3")
        #expect(desired.manifest?.version == "v1beta1")
        #expect(desired.manifest?.id == "jenkins")
        #expect(desired.manifest?.uuid == "901e8027-759b-11e4-bfd0-0800279696e1")
        #expect(desired.manifest?.restartPolicy == V1Beta1.RestartPolicy(always: V1Beta1.Empty()))
        let container = try #require(desired.manifest?.containers?.first)
        #expect(container.memory == 536_870_912)
        #expect(container.cpu == 500)
        #expect(container.imagePullPolicy == "PullIfNotPresent")
        #expect(container.ports?.map(\.protocol) == [.tcp, .tcp])

        let current = try #require(beta.currentState)
        #expect(current.status == "Running")
        #expect(current.host == "10.245.2.3")
        #expect(current.hostIP == "10.245.2.3")
        #expect(current.podIP == "10.244.2.5")
        #expect(current.manifest == nil)
        let info = try #require(current.info?["jenkins"])
        #expect(info.restartCount == 1)
        #expect(info.ready == true)
        #expect(info.podIP == "10.244.2.5")
        #expect(info.image == "csanchez/jenkins-swarm:1.565.3.3")
        #expect(info.state?.running?.startedAt?.description == "2014-11-27T10:40:02Z")
        #expect(info.state?.waiting == nil && info.state?.termination == nil)
        #expect(info.lastState?.termination?.exitCode == 137)
        #expect(info.lastState?.termination?.signal == 9)
        #expect(info.lastState?.termination?.reason == "Killed")

        // Status is the server's: converting back drops it. v1beta1 has one value per resource,
        // which comes back as both limit and request; everything else survives.
        let back = try Pod(v1beta1: beta)
        var expected = pod
        expected.status = nil
        let limits = pod.spec?.containers[0].resources?.limits
        expected.spec?.containers[0].resources?.requests = limits
        #expect(back == expected)
    }

    @Test func v1PodEncodesInTheSeedShape() throws {
        let pod = try Fixture.decode(Pod.self, "pod-v1.yaml")
        let json = JSON.object(pod.v1beta1)
        #expect(json["id"] as? String == "jenkins")
        #expect(json["metadata"] == nil)
        #expect(json["spec"] == nil)
        #expect(json["resourceVersion"] as? Int == 42)
        #expect(json["namespace"] as? String == "default")
        let desired = try #require(json["desiredState"] as? [String: Any])
        let manifest = try #require(desired["manifest"] as? [String: Any])
        #expect(manifest["version"] as? String == "v1beta1")
        let policy = try #require(manifest["restartPolicy"] as? [String: Any])
        #expect(Array(policy.keys) == ["always"])
        let volumes = try #require(manifest["volumes"] as? [[String: Any]])
        let source = try #require(volumes.first?["source"] as? [String: Any])
        #expect(Array(source.keys) == ["emptyDir"])
        let current = try #require(json["currentState"] as? [String: Any])
        #expect(current["status"] as? String == "Running")
        let info = try #require(current["info"] as? [String: Any])
        let jenkins = try #require(info["jenkins"] as? [String: Any])
        let lastState = try #require(jenkins["lastState"] as? [String: Any])
        #expect(lastState["termination"] != nil)
    }
}
