import Foundation
import Testing
@testable import OrcaAPI

@Suite struct DefaultsTests {
    @Test func podDefaults() throws {
        var pod = Pod(metadata: ObjectMeta(name: "p", namespace: "default"),
                      spec: PodSpec(containers: [Container(name: "c", image: "busybox",
                                                           ports: [ContainerPort(containerPort: 80)])]))
        pod.setDefaults()
        let spec = try #require(pod.spec)
        #expect(spec.restartPolicy == .always)
        #expect(spec.dnsPolicy == "ClusterFirst")
        #expect(spec.terminationGracePeriodSeconds == 30)
        #expect(spec.containers[0].imagePullPolicy == .always)
        #expect(spec.containers[0].terminationMessagePath == "/dev/termination-log")
        #expect(spec.containers[0].ports?[0].protocol == .tcp)
    }

    @Test func podDefaultsKeepWhatTheUserSet() {
        var container = Container(name: "c", image: "busybox",
                                  ports: [ContainerPort(containerPort: 53, protocol: .udp)])
        container.imagePullPolicy = .never
        container.terminationMessagePath = "/tmp/msg"
        var spec = PodSpec(containers: [container], restartPolicy: .never)
        spec.dnsPolicy = "Default"
        spec.terminationGracePeriodSeconds = 0
        var pod = Pod(metadata: ObjectMeta(name: "p"), spec: spec)
        pod.setDefaults()
        #expect(pod.spec == spec)
    }

    @Test(arguments: [
        ("busybox", PullPolicy.always),
        ("busybox:latest", .always),
        ("busybox:1.36", .ifNotPresent),
        ("csanchez/jenkins-swarm:1.565.3.3", .ifNotPresent),
        ("localhost:5000/busybox", .always),
        ("localhost:5000/busybox:latest", .always),
        ("localhost:5000/team/busybox:1", .ifNotPresent),
        ("busybox@sha256:0123456789abcdef", .ifNotPresent),
        ("busybox:latest@sha256:0123456789abcdef", .always),
    ])
    func imagePullPolicyFollowsTheTag(image: String, policy: PullPolicy) {
        var container = Container(name: "c", image: image)
        container.setDefaults()
        #expect(container.imagePullPolicy == policy)
    }

    @Test func aContainerWithoutAnImageGetsNoPullPolicy() {
        var container = Container(name: "c", image: nil)
        container.setDefaults()
        #expect(container.imagePullPolicy == nil)
    }

    @Test func aVolumeWithoutASourceIsAnEmptyDir() {
        var spec = PodSpec(containers: [Container(name: "c", image: "busybox")], volumes: [
            Volume(name: "scratch"),
            Volume(name: "cache", emptyDir: EmptyDirVolumeSource(medium: "Memory")),
            Volume(name: "logs", hostPath: HostPathVolumeSource(path: "/var/log")),
        ])
        spec.setDefaults()
        #expect(spec.volumes == [
            Volume(name: "scratch", emptyDir: EmptyDirVolumeSource()),
            Volume(name: "cache", emptyDir: EmptyDirVolumeSource(medium: "Memory")),
            Volume(name: "logs", hostPath: HostPathVolumeSource(path: "/var/log")),
        ])
    }

    @Test func defaultingTwiceIsDefaultingOnce() {
        var once = Sample.pod()
        once.setDefaults()
        #expect(once == Sample.pod())
        var rc = Sample.replicationController()
        rc.setDefaults()
        #expect(rc == Sample.replicationController())
        var service = Sample.service()
        service.setDefaults()
        #expect(service == Sample.service())
    }

    @Test func replicationControllerDefaults() {
        var template = PodTemplateSpec(metadata: ObjectMeta(labels: ["name": "frontend"]),
                                       spec: PodSpec(containers: [Container(name: "php", image: "php-redis")]))
        template.spec?.containers[0].ports = [ContainerPort(containerPort: 80, hostPort: 8000)]
        var rc = ReplicationController(metadata: ObjectMeta(name: "frontend", namespace: "default"),
                                       spec: ReplicationControllerSpec(template: template))
        rc.setDefaults()
        #expect(rc.spec?.replicas == 1)
        #expect(rc.spec?.selector == ["name": "frontend"])
        #expect(rc.metadata.labels == ["name": "frontend"])
        #expect(rc.spec?.template?.spec?.restartPolicy == .always)
        #expect(rc.spec?.template?.spec?.containers[0].imagePullPolicy == .always)
        #expect(rc.spec?.template?.spec?.containers[0].ports?[0].protocol == .tcp)
        #expect(rc.validate() == [])
    }

    @Test func replicationControllerDefaultsKeepWhatTheUserSet() {
        let template = PodTemplateSpec(metadata: ObjectMeta(labels: ["name": "frontend", "tier": "web"]),
                                       spec: PodSpec(containers: [Container(name: "php", image: "php-redis")]))
        var rc = ReplicationController(
            metadata: ObjectMeta(name: "frontend", labels: ["app": "guestbook"]),
            spec: ReplicationControllerSpec(replicas: 0, selector: ["name": "frontend"], template: template))
        rc.setDefaults()
        #expect(rc.spec?.replicas == 0)
        #expect(rc.spec?.selector == ["name": "frontend"])
        #expect(rc.metadata.labels == ["app": "guestbook"])
    }

    @Test func serviceDefaults() throws {
        var service = Service(metadata: ObjectMeta(name: "jenkins"), spec: ServiceSpec(ports: [
            ServicePort(port: 8888),
            ServicePort(name: "slave", port: 50000, targetPort: .string("slave")),
            ServicePort(name: "zero", port: 80, targetPort: .int(0)),
        ]))
        service.setDefaults()
        let spec = try #require(service.spec)
        #expect(spec.ports?.map(\.protocol) == [.tcp, .tcp, .tcp])
        #expect(spec.ports?.map(\.targetPort) == [.int(8888), .string("slave"), .int(80)])
        #expect(spec.sessionAffinity == "None")
        #expect(spec.type == "ClusterIP")
        #expect(spec.clusterIP == nil)
    }

    @Test func endpointsDefaults() {
        var endpoints = Endpoints(metadata: ObjectMeta(name: "dns"), subsets: [EndpointSubset(
            addresses: [EndpointAddress(ip: "10.244.1.2")],
            ports: [EndpointPort(port: 53), EndpointPort(name: "udp", port: 53, protocol: .udp)])])
        endpoints.setDefaults()
        #expect(endpoints.subsets?[0].ports?.map(\.protocol) == [.tcp, .udp])
    }

    @Test func eventDefaults() {
        var event = Event(metadata: ObjectMeta(name: "e"), involvedObject: ObjectReference(name: "p"),
                          reason: "Started", message: nil, type: nil)
        event.setDefaults()
        #expect(event.count == 1)
        #expect(event.type == "Normal")
        var warning = Event(metadata: ObjectMeta(name: "e"), involvedObject: ObjectReference(name: "p"),
                            reason: "Failed", message: nil, type: "Warning")
        warning.count = 7
        warning.setDefaults()
        #expect(warning.count == 7)
        #expect(warning.type == "Warning")
    }

    @Test func nodeDefaultsChangeNothing() {
        var node = Sample.node()
        let before = node
        node.setDefaults()
        #expect(node == before)
    }

    @Test func aDecodedManifestDefaultsAndValidates() throws {
        let json = """
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "jenkins", "namespace": "default", "labels": {"name": "jenkins"}},
         "spec": {"containers": [{"name": "jenkins", "image": "csanchez/jenkins-swarm:1.565.3.3",
                                  "ports": [{"containerPort": 8080, "hostPort": 8080},
                                            {"containerPort": 50000, "hostPort": 50000}],
                                  "volumeMounts": [{"name": "jenkins-data", "mountPath": "/var/jenkins_home"}]}],
                  "volumes": [{"name": "jenkins-data", "emptyDir": {}}]}}
        """
        var pod = try ManifestDecoder.decode(Pod.self, json: Data(json.utf8))
        pod.setDefaults()
        #expect(pod.validate() == [])
        #expect(pod.spec?.containers[0].ports?.allSatisfy { $0.protocol == .tcp } == true)
        #expect(pod.spec?.volumes?[0].emptyDir == EmptyDirVolumeSource())
    }
}
