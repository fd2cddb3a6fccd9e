import Foundation
import Testing
@testable import OrcaAPI
import OrcaManifest

/// Decodes a v1beta1 body from JSON text, as the API server does.
private func beta<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
    try ManifestDecoder.decode(type, from: ManifestDecoder.object(from: Data(json.utf8)))
}

private func podJSON(container: String = #"{"name": "c", "image": "busybox:1"}"#, volumes: String = "[]") -> String {
    """
    {"id": "p", "kind": "Pod", "apiVersion": "v1beta1",
     "desiredState": {"manifest": {"version": "v1beta1", "id": "p",
       "containers": [\(container)], "volumes": \(volumes)}}}
    """
}

@Suite("v1beta1 pods")
struct V1Beta1PodTests {
    @Test(arguments: [
        (#"{"name": "d", "source": {"persistentDisk": {"pdName": "disk-1", "fsType": "ext4"}}}"#, "persistentDisk"),
        (#"{"name": "d", "source": {"gitRepo": {"repository": "https://example.com/r.git"}}}"#, "gitRepo"),
        (#"{"name": "d", "source": {"nfs": {"server": "10.0.0.1"}}}"#, "nfs"),
    ])
    func unsupportedVolumeSourceIs400(volume: String, source: String) throws {
        let pod = try beta(V1Beta1.Pod.self, podJSON(volumes: "[\(volume)]"))
        let error = try #require(throws: APIError.self) { try Pod(v1beta1: pod) }
        #expect(error.code == 400)
        #expect(error.reason == .badRequest)
        #expect(error.message.contains("volume source \(source) is not supported"))
        #expect(error.details?.causes?.first?.field == "desiredState.manifest.volumes[0].source.\(source)")
        #expect(error.status.code == 400)
    }

    @Test func unsupportedVolumeSourceInATemplateIs400() throws {
        let rc = try beta(V1Beta1.ReplicationController.self, """
            {"id": "r", "desiredState": {"replicas": 1, "replicaSelector": {"a": "b"}, "podTemplate": {
              "labels": {"a": "b"}, "desiredState": {"manifest": {"containers": [{"name": "c", "image": "i:1"}],
              "volumes": [{"name": "x", "source": {"gitRepo": {"repository": "r"}}}]}}}}}
            """)
        let error = try #require(throws: APIError.self) { try ReplicationController(v1beta1: rc) }
        #expect(error.code == 400)
        #expect(error.message.hasPrefix("desiredState.podTemplate.desiredState.manifest.volumes[0].source.gitRepo: "))
    }

    @Test func volumeSources() throws {
        let pod = try Pod(v1beta1: beta(V1Beta1.Pod.self, podJSON(volumes: """
            [{"name": "a"}, {"name": "b", "source": {"emptyDir": {}}},
             {"name": "c", "source": {"hostDir": {"path": "/srv/data"}}}, {"name": "d", "source": null}]
            """)))
        #expect(pod.spec?.volumes == [
            Volume(name: "a", emptyDir: EmptyDirVolumeSource()),
            Volume(name: "b", emptyDir: EmptyDirVolumeSource()),
            Volume(name: "c", hostPath: HostPathVolumeSource(path: "/srv/data")),
            Volume(name: "d", emptyDir: EmptyDirVolumeSource()),
        ])
        let back = try #require(pod.v1beta1.desiredState?.manifest?.volumes)
        #expect(back[2].source == V1Beta1.VolumeSource(hostDir: V1Beta1.HostDir(path: "/srv/data")))
        #expect(back[0].source == V1Beta1.VolumeSource(emptyDir: V1Beta1.EmptyDir()))
    }

    @Test func containerFieldsConvert() throws {
        let pod = try Pod(v1beta1: beta(V1Beta1.Pod.self, podJSON(container: """
            {"name": "web", "image": "nginx:1", "command": ["nginx", "-g", "daemon off;"], "workingDir": "/srv",
             "ports": [{"name": "http", "containerPort": 80, "hostPort": 8000, "protocol": "UDP",
                        "hostIP": "10.0.0.1"}],
             "env": [{"name": "A", "value": "1"}, {"key": "B", "value": "2"}],
             "memory": 50000000, "cpu": 100,
             "volumeMounts": [{"name": "v", "mountPath": "/a", "readOnly": true}, {"name": "w", "path": "/b"}],
             "terminationMessagePath": "/dev/log", "privileged": true, "imagePullPolicy": "PullNever"}
            """)))
        let c = try #require(pod.spec?.containers.first)
        #expect(c.name == "web")
        #expect(c.command == ["nginx", "-g", "daemon off;"])
        #expect(c.args == nil)
        #expect(c.workingDir == "/srv")
        #expect(c.ports?.first?.name == "http")
        #expect(c.ports?.first?.containerPort == 80)
        #expect(c.ports?.first?.hostPort == 8000)
        #expect(c.ports?.first?.protocol == .udp)
        #expect(c.ports?.first?.hostIP == "10.0.0.1")
        #expect(c.env == [EnvVar(name: "A", value: "1"), EnvVar(name: "B", value: "2")])
        #expect(c.resources?.limits?["memory"] == Quantity(integer: 50_000_000))
        #expect(c.resources?.limits?["cpu"] == Quantity("100m"))
        #expect(c.resources?.limits?["cpu"]?.text == "100m")
        #expect(c.resources?.requests == c.resources?.limits)
        #expect(c.volumeMounts == [
            VolumeMount(name: "v", mountPath: "/a", readOnly: true), VolumeMount(name: "w", mountPath: "/b"),
        ])
        #expect(c.terminationMessagePath == "/dev/log")
        #expect(c.securityContext?.privileged == true)
        #expect(c.imagePullPolicy == .never)

        let back = try #require(pod.v1beta1.desiredState?.manifest?.containers?.first)
        #expect(back.memory == 50_000_000)
        #expect(back.cpu == 100)
        #expect(back.privileged == true)
        #expect(back.imagePullPolicy == "PullNever")
        #expect(back.env?.map(\.name) == ["A", "B"])
        #expect(back.volumeMounts?.map(\.mountPath) == ["/a", "/b"])
        #expect(try Pod(v1beta1: pod.v1beta1) == pod)
    }

    @Test func deprecatedNamesAreNotWritten() throws {
        let pod = try Pod(v1beta1: beta(V1Beta1.Pod.self, podJSON(container: """
            {"name": "c", "image": "i:1", "env": [{"key": "B", "value": "2"}],
             "volumeMounts": [{"name": "w", "path": "/b"}]}
            """)))
        let text = String(decoding: JSON.encode(pod.v1beta1), as: UTF8.self)
        #expect(text.contains(#""env":[{"name":"B","value":"2"}]"#))
        #expect(text.contains(#""volumeMounts":[{"mountPath":"/b","name":"w"}]"#))
    }

    @Test func resourcesAsQuantityText() throws {
        let pod = try Pod(v1beta1: beta(V1Beta1.Pod.self, podJSON(container: """
            {"name": "c", "image": "i:1", "memory": "64Mi", "cpu": "250m"}
            """)))
        let c = try #require(pod.spec?.containers.first)
        #expect(c.resources?.limits?["memory"]?.value == 67_108_864)
        #expect(c.resources?.limits?["cpu"]?.milliValue == 250)
    }

    @Test func v1ArgsJoinTheCommand() {
        var container = Container(name: "c", image: "i:1", command: ["/bin/sh"], args: ["-c", "echo hi"])
        #expect(container.v1beta1.command == ["/bin/sh", "-c", "echo hi"])
        container.command = nil
        #expect(container.v1beta1.command == ["-c", "echo hi"])
        container.args = nil
        #expect(container.v1beta1.command == nil)
    }

    @Test func v1RequestsShowWhenThereAreNoLimits() {
        let container = Container(name: "c", image: "i:1", resources: ResourceRequirements(
            requests: ["cpu": Quantity("1.5")!, "memory": Quantity("1Gi")!]))
        #expect(container.v1beta1.cpu == 1500)
        #expect(container.v1beta1.memory == 1 << 30)
    }

    @Test(arguments: [
        ("PullAlways", PullPolicy.always), ("PullNever", .never), ("PullIfNotPresent", .ifNotPresent),
        ("Always", .always),
    ])
    func pullPolicies(text: String, policy: PullPolicy) throws {
        let pod = try Pod(v1beta1: beta(V1Beta1.Pod.self, podJSON(
            container: #"{"name": "c", "image": "i:1", "imagePullPolicy": "\#(text)"}"#)))
        #expect(pod.spec?.containers.first?.imagePullPolicy == policy)
    }

    @Test func unknownPullPolicyIs400() throws {
        let pod = try beta(V1Beta1.Pod.self, podJSON(
            container: #"{"name": "c", "image": "i:1", "imagePullPolicy": "Sometimes"}"#))
        let error = try #require(throws: APIError.self) { try Pod(v1beta1: pod) }
        #expect(error.code == 400)
        #expect(error.details?.causes?.first?.field == "desiredState.manifest.containers[0].imagePullPolicy")
    }

    @Test(arguments: [
        (#"{"always": {}}"#, RestartPolicy.always), (#"{"onFailure": {}}"#, .onFailure), (#"{"never": {}}"#, .never),
    ])
    func restartPolicies(json: String, policy: RestartPolicy) throws {
        let manifest = try beta(V1Beta1.ContainerManifest.self, #"{"restartPolicy": \#(json)}"#)
        let pod = try Pod(v1beta1: V1Beta1.Pod(desiredState: V1Beta1.PodState(manifest: manifest)))
        #expect(pod.spec?.restartPolicy == policy)
        #expect(pod.v1beta1.desiredState?.manifest?.restartPolicy == manifest.restartPolicy)
    }

    @Test func twoRestartPoliciesAre400() throws {
        let manifest = try beta(V1Beta1.ContainerManifest.self, #"{"restartPolicy": {"always": {}, "never": {}}}"#)
        let error = try #require(throws: APIError.self) {
            try Pod(v1beta1: V1Beta1.Pod(desiredState: V1Beta1.PodState(manifest: manifest)))
        }
        #expect(error.message
            == "desiredState.manifest.restartPolicy: only one of always, onFailure and never may be set")
    }

    @Test func typeMetaFields() throws {
        let pod = try Pod(v1beta1: beta(V1Beta1.Pod.self, """
            {"id": "p", "uid": "u-1", "namespace": "team", "resourceVersion": 17, "selfLink": "/api/v1beta1/pods/p",
             "creationTimestamp": "2014-11-27T10:36:24Z", "annotations": {"a": "b"}, "generateName": "p-",
             "labels": {"name": "p"}, "nodeSelector": {"disk": "ssd"},
             "desiredState": {"host": "10.245.2.2", "manifest": {"containers": []}}}
            """))
        #expect(pod.metadata.name == "p")
        #expect(pod.metadata.uid == "u-1")
        #expect(pod.metadata.namespace == "team")
        #expect(pod.metadata.resourceVersion == "17")
        #expect(pod.metadata.selfLink == "/api/v1beta1/pods/p")
        #expect(pod.metadata.creationTimestamp?.description == "2014-11-27T10:36:24Z")
        #expect(pod.metadata.annotations == ["a": "b"])
        #expect(pod.metadata.generateName == "p-")
        #expect(pod.metadata.labels == ["name": "p"])
        #expect(pod.spec?.nodeSelector == ["disk": "ssd"])
        #expect(pod.spec?.nodeName == "10.245.2.2")
        let back = pod.v1beta1
        #expect(back.resourceVersion == 17)
        #expect(back.namespace == "team")
        #expect(back.nodeSelector == ["disk": "ssd"])
        #expect(back.desiredState?.host == "10.245.2.2")
        #expect(back.currentState?.host == "10.245.2.2")
    }

    @Test func resourceVersionAsTextIsAccepted() throws {
        let pod = try beta(V1Beta1.Pod.self, #"{"id": "p", "resourceVersion": "23"}"#)
        #expect(pod.resourceVersion == 23)
        for bad in [#""x""#, "-1", "1.5"] {
            let error = #expect(throws: APIError.self) {
                try beta(V1Beta1.Pod.self, #"{"id": "p", "resourceVersion": \#(bad)}"#)
            }
            #expect(error?.message.hasPrefix("resourceVersion: expected a whole number") == true, "\(bad)")
        }
    }

    @Test func manifestIDNamesAPodWithoutID() throws {
        let pod = try Pod(v1beta1: beta(V1Beta1.Pod.self, #"{"desiredState": {"manifest": {"id": "m"}}}"#))
        #expect(pod.metadata.name == "m")
        let generated = try Pod(v1beta1: beta(V1Beta1.Pod.self,
                                              #"{"generateName": "g-", "desiredState": {"manifest": {"id": "m"}}}"#))
        #expect(generated.metadata.name == nil)
    }

    @Test func currentStateIsIgnoredOnInput() throws {
        let pod = try Pod(v1beta1: beta(V1Beta1.Pod.self, """
            {"id": "p", "currentState": {"status": "Running", "host": "h", "podIP": "10.244.1.2"}}
            """))
        #expect(pod.status == nil)
        #expect(pod.spec?.nodeName == nil)
    }

    @Test func terminatedAndWaitingContainers() {
        var status = PodStatus(phase: .failed)
        var dead = ContainerStatus(
            name: "a", state: ContainerState(terminated: ContainerStateTerminated(exitCode: 1, reason: "Error")),
            ready: false, restartCount: 3, image: "i:1")
        dead.containerID = "runc://abc"
        status.containerStatuses = [
            dead,
            ContainerStatus(name: "b", state: ContainerState(waiting: ContainerStateWaiting(reason: "ImagePull")),
                            ready: false, restartCount: 0, image: "j:1"),
        ]
        status.message = "container a exited"
        let pod = Pod(metadata: ObjectMeta(name: "p"), spec: PodSpec(), status: status)
        let current = pod.v1beta1.currentState
        #expect(current?.status == "Failed")
        #expect(current?.message == "container a exited")
        #expect(current?.info?["a"]?.state?.termination?.exitCode == 1)
        #expect(current?.info?["a"]?.state?.termination?.reason == "Error")
        #expect(current?.info?["a"]?.restartCount == 3)
        #expect(current?.info?["a"]?.containerID == "runc://abc")
        #expect(current?.info?["b"]?.state?.waiting?.reason == "ImagePull")
    }
}

@Suite("v1beta1 replication controllers")
struct V1Beta1ReplicationControllerTests {
    @Test func currentStateCarriesStatusReplicas() throws {
        var rc = try Fixture.v1(ReplicationController.self, "replication.json")
        rc.status = ReplicationControllerStatus(replicas: 2)
        let beta = rc.v1beta1
        #expect(beta.currentState?.replicas == 2)
        #expect(beta.currentState?.podTemplate == nil)
        #expect(beta.desiredState?.replicas == 1)
        #expect(beta.desiredState?.replicaSelector == ["name": "jenkins-slave"])
        #expect(beta.desiredState?.podTemplate?.labels == ["name": "jenkins-slave"])
        #expect(beta.desiredState?.podTemplate?.desiredState?.manifest?.containers?.first?.image
            == "csanchez/jenkins-swarm-slave:1.21")
        let json = JSON.object(beta)
        #expect((json["currentState"] as? [String: Any])?["replicas"] as? Int == 2)
        #expect(try ReplicationController(v1beta1: beta).status == nil)
    }

    @Test func templateNodeSelectorAndAnnotations() throws {
        let rc = try ReplicationController(v1beta1: beta(V1Beta1.ReplicationController.self, """
            {"id": "r", "desiredState": {"replicas": 0, "podTemplate": {"nodeSelector": {"disk": "ssd"},
              "annotations": {"a": "b"}, "labels": {"x": "y"}, "desiredState": {"manifest": {"containers": []}}}}}
            """))
        #expect(rc.spec?.replicas == 0)
        #expect(rc.spec?.template?.spec?.nodeSelector == ["disk": "ssd"])
        #expect(rc.spec?.template?.metadata?.annotations == ["a": "b"])
        #expect(rc.v1beta1.desiredState?.podTemplate?.nodeSelector == ["disk": "ssd"])
        #expect(try ReplicationController(v1beta1: rc.v1beta1) == rc)
    }
}

@Suite("v1beta1 services")
struct V1Beta1ServiceTests {
    @Test func allFields() throws {
        let service = try Service(v1beta1: beta(V1Beta1.Service.self, """
            {"id": "web", "port": 80, "protocol": "UDP", "containerPort": "http", "selector": {"app": "web"},
             "labels": {"tier": "front"}, "portalIP": "10.0.0.10", "proxyPort": 40000,
             "createExternalLoadBalancer": true, "publicIPs": ["192.168.1.5"], "sessionAffinity": "ClientIP"}
            """))
        let spec = try #require(service.spec)
        #expect(spec.ports == [ServicePort(protocol: .udp, port: 80, targetPort: .string("http"))])
        #expect(spec.selector == ["app": "web"])
        #expect(service.metadata.labels == ["tier": "front"])
        #expect(spec.clusterIP == "10.0.0.10")
        #expect(spec.type == "LoadBalancer")
        #expect(spec.externalIPs == ["192.168.1.5"])
        #expect(spec.sessionAffinity == "ClientIP")

        let back = service.v1beta1
        #expect(back.proxyPort == nil)
        #expect(back.createExternalLoadBalancer == true)
        #expect(back.portalIP == "10.0.0.10")
        #expect(back.containerPort == .string("http"))
        #expect(try Service(v1beta1: back) == service)
    }

    @Test func onlyTheFirstOfSeveralPortsShows() {
        let service = Service(metadata: ObjectMeta(name: "s"), spec: ServiceSpec(ports: [
            ServicePort(name: "a", port: 80, targetPort: .int(8080)), ServicePort(name: "b", port: 443),
        ]))
        #expect(service.v1beta1.port == 80)
        #expect(service.v1beta1.containerPort == .int(8080))
    }

    @Test func portIsRequired() throws {
        let service = try Service(v1beta1: beta(V1Beta1.Service.self, #"{"id": "s", "selector": {"a": "b"}}"#))
        #expect(service.spec?.ports == [ServicePort(port: 0)])
    }
}

@Suite("v1beta1 minions")
struct V1Beta1MinionTests {
    @Test func hostIPAndCapacity() throws {
        let node = try Node(v1beta1: beta(V1Beta1.Minion.self, """
            {"id": "10.245.2.2", "kind": "Minion", "hostIP": "10.245.2.2", "labels": {"zone": "a"},
             "resources": {"capacity": {"cpu": 2000, "memory": 2147483648, "pods": "110"}}, "podCIDR": "10.244.2.0/24"}
            """))
        #expect(node.metadata.name == "10.245.2.2")
        #expect(node.metadata.namespace == nil)
        #expect(node.metadata.labels == ["zone": "a"])
        #expect(node.spec?.podCIDR == "10.244.2.0/24")
        #expect(node.status?.addresses == [NodeAddress(type: "InternalIP", address: "10.245.2.2")])
        #expect(node.status?.capacity?["cpu"] == Quantity("2"))
        #expect(node.status?.capacity?["memory"] == Quantity("2Gi"))
        #expect(node.status?.capacity?["pods"] == Quantity("110"))

        let back = node.v1beta1
        #expect(back.typeMeta.kind == "Minion")
        #expect(back.namespace == nil)
        #expect(back.hostIP == "10.245.2.2")
        #expect(back.resources?.capacity == ["cpu": .int(2000), "memory": .int(2_147_483_648), "pods": .int(110)])
        #expect(back.podCIDR == "10.244.2.0/24")
        #expect(try Node(v1beta1: back) == node)
    }

    @Test func namespaceIsDropped() throws {
        let node = try Node(v1beta1: beta(V1Beta1.Minion.self, #"{"id": "m", "namespace": "default"}"#))
        #expect(node.metadata.namespace == nil)
        #expect(node.status == nil)
    }

    @Test func badCapacityIs400() throws {
        let minion = try beta(V1Beta1.Minion.self, #"{"id": "m", "resources": {"capacity": {"cpu": "lots"}}}"#)
        let error = try #require(throws: APIError.self) { try Node(v1beta1: minion) }
        #expect(error.code == 400)
        #expect(error.details?.causes?.first?.field == "resources.capacity[cpu]")
    }

    @Test func conditions() throws {
        let heartbeat = Timestamp(Date(timeIntervalSince1970: 1_417_084_584))
        var status = NodeStatus(conditions: [
            NodeCondition(type: "Ready", status: "True", lastHeartbeatTime: heartbeat, reason: "KubeletReady"),
        ], addresses: [
            NodeAddress(type: "Hostname", address: "m1"), NodeAddress(type: "InternalIP", address: "10.245.2.3"),
        ])
        status.phase = "Running"
        let node = Node(metadata: ObjectMeta(name: "10.245.2.3"), status: status)
        let minion = node.v1beta1
        #expect(minion.hostIP == "10.245.2.3")
        #expect(minion.status?.phase == "Running")
        #expect(minion.status?.conditions == [
            V1Beta1.MinionCondition(kind: "Ready", status: "Full", lastProbeTime: heartbeat, reason: "KubeletReady"),
        ])
        #expect(try Node(v1beta1: minion) == node)

        for (beta, v1) in [("Full", "True"), ("None", "False"), ("Unknown", "Unknown")] {
            let m = V1Beta1.Minion(status: V1Beta1.MinionStatus(conditions: [.init(kind: "Ready", status: beta)]))
            #expect(try Node(v1beta1: m).status?.conditions?.first?.status == v1)
        }
    }

    @Test func minionListCarriesMinions() throws {
        let list = ObjectList(items: [Node(metadata: ObjectMeta(name: "10.245.2.2")),
                                      Node(metadata: ObjectMeta(name: "10.245.2.3"))],
                              metadata: ListMeta(resourceVersion: "9"))
        let json = JSON.object(list.v1beta1)
        #expect(json["kind"] as? String == "MinionList")
        #expect(json["apiVersion"] as? String == "v1beta1")
        #expect(json["resourceVersion"] as? Int == 9)
        for key in ["items", "minions"] {
            let ids = (json[key] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(ids == ["10.245.2.2", "10.245.2.3"], "\(key)")
        }

        let onlyMinions = try beta(V1Beta1.List<Node>.self, #"{"kind": "MinionList", "minions": [{"id": "a"}]}"#)
        #expect(onlyMinions.items.map(\.id) == ["a"])
        #expect(try ObjectList<Node>(v1beta1: onlyMinions).items.map(\.metadata.name) == ["a"])
    }
}

@Suite("v1beta1 lists, endpoints, events")
struct V1Beta1OtherKindsTests {
    @Test func podListShape() throws {
        let list = ObjectList(items: [Pod(metadata: ObjectMeta(name: "a", namespace: "default"))],
                              metadata: ListMeta(resourceVersion: "31"))
        let json = JSON.object(V1Beta1List<Pod>(list))
        #expect(json["kind"] as? String == "PodList")
        #expect(json["resourceVersion"] as? Int == 31)
        #expect(json["minions"] == nil)
        let empty = JSON.object(ObjectList<Pod>(items: []).v1beta1)
        #expect((empty["items"] as? [Any])?.isEmpty == true)
        let decoded = try beta(V1Beta1.List<Pod>.self, #"{"kind": "PodList", "items": null}"#)
        #expect(decoded.items.isEmpty)
    }

    @Test func watchEvent() throws {
        let event = V1Beta1.WatchEvent(type: "ADDED", object: Pod(metadata: ObjectMeta(name: "a")).v1beta1)
        let line = String(decoding: JSON.encode(event), as: UTF8.self)
        #expect(line.hasPrefix(#"{"object":{"#))
        #expect(line.hasSuffix(#""type":"ADDED"}"#))
        #expect(try JSONDecoder().decode(V1Beta1.WatchEvent<V1Beta1.Pod>.self, from: Data(line.utf8)) == event)
    }

    @Test func endpointsFlattenAndGroup() throws {
        let v1 = Endpoints(metadata: ObjectMeta(name: "jenkins", namespace: "default"), subsets: [
            EndpointSubset(addresses: [EndpointAddress(ip: "10.244.1.5"), EndpointAddress(ip: "10.244.2.7")],
                           ports: [EndpointPort(port: 8080)]),
            EndpointSubset(addresses: [EndpointAddress(ip: "fd00::3")], ports: [EndpointPort(port: 9090)]),
        ])
        #expect(v1.v1beta1.endpoints == ["10.244.1.5:8080", "10.244.2.7:8080", "[fd00::3]:9090"])
        #expect(try Endpoints(v1beta1: v1.v1beta1) == v1)

        let mixed = try Endpoints(v1beta1: V1Beta1.Endpoints(endpoints: ["a:1", "b:2", "c:1"]))
        #expect(mixed.subsets == [
            EndpointSubset(addresses: [EndpointAddress(ip: "a"), EndpointAddress(ip: "c")],
                           ports: [EndpointPort(port: 1)]),
            EndpointSubset(addresses: [EndpointAddress(ip: "b")], ports: [EndpointPort(port: 2)]),
        ])
    }

    @Test(arguments: ["10.0.0.1", "10.0.0.1:", ":80", "10.0.0.1:http", "10.0.0.1:70000"])
    func badEndpointIs400(entry: String) {
        #expect(throws: APIError.self) {
            try Endpoints(v1beta1: V1Beta1.Endpoints(endpoints: ["10.0.0.2:80", entry]))
        }
    }

    @Test func events() throws {
        let when = Timestamp(Date(timeIntervalSince1970: 1_417_084_584))
        let event = try Event(v1beta1: beta(V1Beta1.Event.self, """
            {"id": "e1", "involvedObject": {"kind": "Pod", "name": "jenkins", "namespace": "default"},
             "status": "Warning", "reason": "failedScheduling", "message": "no minion fits", "source": "scheduler",
             "timestamp": "2014-11-27T10:36:24Z"}
            """))
        #expect(event.involvedObject == ObjectReference(kind: "Pod", namespace: "default", name: "jenkins"))
        #expect(event.type == "Warning")
        #expect(event.reason == "failedScheduling")
        #expect(event.source == EventSource(component: "scheduler"))
        #expect(event.lastTimestamp == when)
        #expect(event.firstTimestamp == when)
        #expect(event.metadata.namespace == nil)
        let back = event.v1beta1
        #expect(back.source == "scheduler")
        #expect(back.status == "Warning")
        #expect(back.timestamp == when)
        #expect(try Event(v1beta1: back) == event)

        let old = try Event(v1beta1: V1Beta1.Event(status: "running"))
        #expect(old.type == nil)
    }

    @Test func everyKindIsRegistered() {
        #expect(V1Beta1.kinds.map { $0.v1beta1Resource }
            == ["pods", "replicationControllers", "services", "minions", "endpoints", "events"])
        #expect(V1Beta1.kinds.map { $0.v1beta1Kind }
            == ["Pod", "ReplicationController", "Service", "Minion", "Endpoints", "Event"])
    }

    @Test func bodyWithTheWrongVersionIs400() {
        let error = #expect(throws: APIError.self) {
            try Pod(v1beta1Body: Data(#"{"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "x"}}"#.utf8))
        }
        #expect(error?.code == 400)
    }
}

@Suite("v1beta1 bindings")
struct V1Beta1BindingTests {
    @Test func podIDAndHost() throws {
        let binding = Binding(v1beta1: try beta(V1Beta1.Binding.self,
                                                #"{"kind": "Binding", "podID": "jenkins", "host": "10.245.2.3"}"#))
        #expect(binding.metadata.name == "jenkins")
        #expect(binding.target == ObjectReference(kind: "Node", name: "10.245.2.3"))
        #expect(binding.v1beta1.podID == "jenkins")
        #expect(binding.v1beta1.host == "10.245.2.3")
        #expect(Binding(v1beta1: binding.v1beta1) == binding)
    }
}
