import OrcaAPI
import OrcaControllers
import Testing
import OrcaTesting

@Suite struct EndpointsReconcilerTests {
    let reconciler = EndpointsReconciler()

    static func service(
        _ name: String = "web", selector: [String: String]? = ["app": "web"], ports: [ServicePort] = [
            ServicePort(protocol: .tcp, port: 80, targetPort: .int(8080)),
        ], labels: [String: String]? = nil
    ) -> Service {
        Service(metadata: ObjectMeta(name: name, namespace: "default", labels: labels),
                spec: ServiceSpec(ports: ports, selector: selector))
    }

    static func pod(
        _ name: String, ip: String? = nil, labels: [String: String] = ["app": "web"], ready: Bool = true,
        phase: PodPhase = .running, namespace: String = "default", node: String? = "minion-1",
        ports: [ContainerPort] = [], deleting: Bool = false
    ) -> Pod {
        var meta = ObjectMeta(name: name, namespace: namespace, labels: labels)
        meta.uid = "uid-\(name)"
        if deleting { meta.deletionTimestamp = .now() }
        var status = PodStatus(phase: phase)
        status.podIP = ip
        status.conditions = [PodCondition(type: "Ready", status: ready ? "True" : "False")]
        return Pod(metadata: meta,
                   spec: PodSpec(containers: [Container(name: "c", image: "img", ports: ports)], nodeName: node),
                   status: status)
    }

    static func address(_ pod: String, _ ip: String, node: String? = "minion-1") -> EndpointAddress {
        EndpointAddress(ip: ip, nodeName: node,
                        targetRef: ObjectReference(kind: "Pod", namespace: "default", name: pod, uid: "uid-\(pod)"))
    }

    @Test func splitsReadyFromNotReady() throws {
        let pods = [
            Self.pod("ready", ip: "10.244.1.2"),
            Self.pod("starting", ip: "10.244.1.3", ready: false),
            Self.pod("no-ip", ip: nil),
            Self.pod("failed", ip: "10.244.1.4", phase: .failed),
            Self.pod("done", ip: "10.244.1.5", phase: .succeeded),
            Self.pod("going", ip: "10.244.1.6", deleting: true),
            Self.pod("elsewhere", ip: "10.244.1.7", namespace: "prod"),
            Self.pod("other-app", ip: "10.244.1.8", labels: ["app": "db"]),
            Self.pod("unbound", ip: "10.244.1.9", node: nil),
        ]
        let endpoints = try #require(reconciler.reconcile(service: Self.service(), pods: pods))
        #expect(endpoints.metadata.name == "web")
        #expect(endpoints.metadata.namespace == "default")
        #expect(endpoints.subsets == [
            EndpointSubset(
                addresses: [Self.address("ready", "10.244.1.2"), Self.address("unbound", "10.244.1.9", node: nil)],
                notReadyAddresses: [Self.address("starting", "10.244.1.3")],
                ports: [EndpointPort(port: 8080, protocol: .tcp)]),
        ])
        #expect(endpoints.validate().isEmpty)
    }

    @Test func noMatchingPodsGivesNoSubsets() throws {
        let endpoints = try #require(reconciler.reconcile(service: Self.service(), pods: []))
        #expect(endpoints.subsets == [])
        #expect(endpoints.validate().isEmpty)
    }

    @Test(arguments: [nil, [:]] as [[String: String]?])
    func aServiceWithoutSelectorIsLeftAlone(_ selector: [String: String]?) {
        let pods = [Self.pod("a", ip: "10.244.1.2")]
        #expect(reconciler.reconcile(service: Self.service(selector: selector), pods: pods) == nil)
    }

    @Test func unsetOrZeroTargetPortIsTheServicePort() throws {
        let service = Self.service(ports: [
            ServicePort(name: "a", protocol: .tcp, port: 80),
            ServicePort(name: "b", protocol: .udp, port: 53, targetPort: .int(0)),
        ])
        let endpoints = try #require(reconciler.reconcile(service: service, pods: [Self.pod("p", ip: "10.0.0.1")]))
        #expect(endpoints.subsets?.first?.ports == [
            EndpointPort(name: "a", port: 80, protocol: .tcp), EndpointPort(name: "b", port: 53, protocol: .udp),
        ])
    }

    @Test func namedTargetPortsResolvePerPod() throws {
        let service = Self.service(ports: [ServicePort(protocol: .tcp, port: 80, targetPort: .string("http"))])
        let pods = [
            Self.pod("old", ip: "10.244.1.2", ports: [ContainerPort(name: "http", containerPort: 8080)]),
            Self.pod("new", ip: "10.244.2.2", ports: [ContainerPort(name: "http", containerPort: 9090)]),
            Self.pod("new-2", ip: "10.244.2.3", ports: [ContainerPort(name: "http", containerPort: 9090)]),
            Self.pod("udp-only", ip: "10.244.3.2",
                     ports: [ContainerPort(name: "http", containerPort: 7070, protocol: .udp)]),
            Self.pod("unnamed", ip: "10.244.4.2", ports: [ContainerPort(containerPort: 8080)]),
        ]
        let endpoints = try #require(reconciler.reconcile(service: service, pods: pods))
        #expect(endpoints.subsets == [
            EndpointSubset(addresses: [Self.address("old", "10.244.1.2")],
                           ports: [EndpointPort(port: 8080, protocol: .tcp)]),
            EndpointSubset(addresses: [Self.address("new", "10.244.2.2"), Self.address("new-2", "10.244.2.3")],
                           ports: [EndpointPort(port: 9090, protocol: .tcp)]),
        ])
    }

    @Test func aPodLackingANamedPortIsLeftOutOfThatPortOnly() throws {
        let service = Self.service(ports: [
            ServicePort(name: "web", protocol: .tcp, port: 80, targetPort: .int(8080)),
            ServicePort(name: "metrics", protocol: .tcp, port: 9100, targetPort: .string("metrics")),
        ])
        let pods = [
            Self.pod("full", ip: "10.244.1.2", ports: [ContainerPort(name: "metrics", containerPort: 9102)]),
            Self.pod("plain", ip: "10.244.1.3", ready: false),
        ]
        let endpoints = try #require(reconciler.reconcile(service: service, pods: pods))
        #expect(endpoints.subsets == [
            EndpointSubset(addresses: [Self.address("full", "10.244.1.2")],
                           ports: [EndpointPort(name: "metrics", port: 9102, protocol: .tcp),
                                   EndpointPort(name: "web", port: 8080, protocol: .tcp)]),
            EndpointSubset(notReadyAddresses: [Self.address("plain", "10.244.1.3")],
                           ports: [EndpointPort(name: "web", port: 8080, protocol: .tcp)]),
        ])
        #expect(endpoints.validate().isEmpty)
    }

    @Test func theSameInputsInAnyOrderGiveTheSameObject() throws {
        let service = Self.service(ports: [ServicePort(protocol: .tcp, port: 80, targetPort: .string("http"))])
        var random = SplitMix64(seed: 7)
        let pods = (0..<40).map { i in
            Self.pod("p\(i)", ip: "10.244.\(i % 3).\(40 - i)", ready: i % 4 != 0,
                     ports: [ContainerPort(name: "http", containerPort: 8000 + i % 2)])
        }
        let expected = try #require(reconciler.reconcile(service: service, pods: pods))
        for _ in 0..<20 {
            #expect(reconciler.reconcile(service: service, pods: pods.shuffled(using: &random)) == expected)
        }
        #expect(expected.subsets?.count == 2)
        #expect(expected.subsets?.first?.addresses?.count == 10)
    }

    @Test func addressesSortByIPNumerically() throws {
        let pods = [
            Self.pod("b", ip: "10.244.1.10"), Self.pod("a", ip: "10.244.1.9"), Self.pod("c", ip: "10.244.0.200"),
        ]
        let endpoints = try #require(reconciler.reconcile(service: Self.service(), pods: pods))
        #expect(endpoints.subsets?.first?.addresses?.map(\.ip) == ["10.244.0.200", "10.244.1.9", "10.244.1.10"])
    }

    @Test func copiesTheServiceLabels() throws {
        let endpoints = try #require(reconciler.reconcile(service: Self.service(labels: ["team": "a"]), pods: []))
        #expect(endpoints.metadata.labels == ["team": "a"])
    }

    @Test func upToDateIgnoresServerFieldsAndEmptyLists() throws {
        let desired = try #require(reconciler.reconcile(
            service: Self.service(), pods: [Self.pod("a", ip: "10.244.1.2")]))
        var stored = desired
        stored.metadata.resourceVersion = "42"
        stored.metadata.uid = "x"
        stored.subsets?[0].notReadyAddresses = []
        stored.subsets?[0].ports?[0].protocol = nil
        #expect(EndpointsReconciler.isUpToDate(stored, desired: desired))

        stored.subsets?[0].addresses = []
        #expect(!EndpointsReconciler.isUpToDate(stored, desired: desired))
        var relabelled = desired
        relabelled.metadata.labels = ["x": "y"]
        #expect(!EndpointsReconciler.isUpToDate(relabelled, desired: desired))

        let empty = try #require(reconciler.reconcile(service: Self.service(), pods: []))
        var storedEmpty = empty
        storedEmpty.subsets = nil
        #expect(EndpointsReconciler.isUpToDate(storedEmpty, desired: empty))
    }

    @Test func headlessServiceWithoutPortsListsAddresses() throws {
        var service = Self.service(ports: [])
        service.spec?.clusterIP = "None"
        let endpoints = try #require(reconciler.reconcile(service: service, pods: [Self.pod("a", ip: "10.244.1.2")]))
        #expect(endpoints.subsets == [EndpointSubset(addresses: [Self.address("a", "10.244.1.2")])])
    }
}
