import OrcaAPI
@testable import OrcaScheduler

/// Small builders for minions and pods as the API would hold them.
enum Fixtures {
    static func node(
        _ name: String, cpu: String? = "4", memory: String? = "8Gi", ready: Bool = true, unschedulable: Bool = false,
        labels: [String: String]? = nil, allocatable: [String: String]? = nil
    ) -> Node {
        var capacity: [String: Quantity] = [:]
        if let cpu { capacity["cpu"] = Quantity(cpu)! }
        if let memory { capacity["memory"] = Quantity(memory)! }
        var node = Node(
            metadata: ObjectMeta(name: name, labels: labels), spec: NodeSpec(unschedulable: unschedulable),
            status: NodeStatus(capacity: capacity, conditions: [
                NodeCondition(type: "Ready", status: ready ? "True" : "False"),
            ]))
        if let allocatable { node.status?.allocatable = allocatable.mapValues { Quantity($0)! } }
        return node
    }

    static func pod(
        _ name: String, namespace: String = "default", cpu: String? = nil, memory: String? = nil,
        limitsOnly: Bool = false, hostPorts: [HostPort] = [], nodeSelector: [String: String]? = nil,
        nodeName: String? = nil, phase: PodPhase = .pending, labels: [String: String]? = nil,
        owner: String? = nil, containers: Int = 1
    ) -> Pod {
        var amounts: [String: Quantity] = [:]
        if let cpu { amounts["cpu"] = Quantity(cpu)! }
        if let memory { amounts["memory"] = Quantity(memory)! }
        let resources = amounts.isEmpty
            ? nil
            : (limitsOnly ? ResourceRequirements(limits: amounts) : ResourceRequirements(requests: amounts))
        var list: [Container] = []
        for index in 0..<containers {
            list.append(Container(
                name: "c\(index)", image: "busybox",
                ports: index == 0 && !hostPorts.isEmpty
                    ? hostPorts.map { ContainerPort(containerPort: 80, hostPort: $0.port, protocol: $0.protocol) }
                    : nil,
                resources: resources))
        }
        var metadata = ObjectMeta(name: name, namespace: namespace, labels: labels)
        metadata.resourceVersion = "1"
        if let owner {
            metadata.ownerReferences = [OwnerReference(kind: "ReplicationController", name: owner, uid: "uid-\(owner)")]
        }
        return Pod(
            metadata: metadata,
            spec: PodSpec(containers: list, nodeSelector: nodeSelector, nodeName: nodeName),
            status: PodStatus(phase: phase))
    }

    static func request(cpu: String? = nil, memory: String? = nil, hostPorts: [HostPort] = [],
                        nodeSelector: [String: String]? = nil) -> PodRequest {
        PodRequest(pod: pod("p", cpu: cpu, memory: memory, hostPorts: hostPorts, nodeSelector: nodeSelector))
    }

    /// A minion with `cpu`/`memory` allocatable and pods already taking `usedCPU`/`usedMemory`.
    static func minion(
        cpu: String = "4", memory: String = "8Gi", usedCPU: String? = nil, usedMemory: String? = nil,
        ports: [HostPort] = [], ready: Bool = true, labels: [String: String]? = nil
    ) -> MinionInfo {
        var snapshot = ClusterSnapshot()
        snapshot.update(minion: node("m", cpu: cpu, memory: memory, ready: ready, labels: labels))
        if usedCPU != nil || usedMemory != nil || !ports.isEmpty {
            snapshot.update(pod: pod("used", cpu: usedCPU, memory: usedMemory, hostPorts: ports, nodeName: "m"))
        }
        return snapshot.minion(named: "m")!
    }
}
