import OrcaAPI

extension HollowMinion {
    /// The version a hollow minion reports as its kubelet's.
    public static let kubeletVersion = "orca-hollow"

    /// The node a hollow minion registers: its name, labels (with `kubernetes.io/hostname`), the
    /// pod CIDR it asks for (nil: the master assigns one) and its first status.
    static func registration(_ configuration: Configuration, now: Timestamp) -> Node {
        var labels = configuration.labels
        labels["kubernetes.io/hostname"] = configuration.name
        return Node(metadata: ObjectMeta(name: configuration.name, labels: labels),
                    spec: NodeSpec(podCIDR: configuration.podCIDR),
                    status: nodeStatus(configuration, now: now))
    }

    /// What a heartbeat writes to the minion's status subresource: `Ready` True with
    /// `lastHeartbeatTime` now, capacity and allocatable, addresses and system info. The status
    /// subresource replaces the whole status, so every heartbeat carries all of it.
    static func nodeStatus(_ configuration: Configuration, now: Timestamp) -> NodeStatus {
        var info = NodeSystemInfo()
        info.kubeletVersion = kubeletVersion
        info.kubeProxyVersion = kubeletVersion
        info.machineID = configuration.name
        info.systemUUID = configuration.name
        info.bootID = configuration.name
        info.containerRuntimeVersion = "hollow://0"
        info.osImage = "Hollow"
        info.kernelVersion = "hollow"
        info.operatingSystem = "linux"
        info.architecture = "amd64"
        return .ready(name: configuration.name, hostIP: configuration.hostIP, cpu: configuration.cpu,
                      memory: configuration.memory, maxPods: configuration.maxPods, reason: "MinionReady",
                      message: "hollow minion is posting ready status", nodeInfo: info, now: now)
    }

    /// `pod` as a hollow minion reports it once "started": phase Running, the host and pod IPs,
    /// `startTime`, conditions PodScheduled/Initialized/ContainersReady/Ready True, and every
    /// container running and ready. Conditions of other types, and the time PodScheduled became
    /// true, are kept.
    static func runningStatus(of pod: Pod, hostIP: String, podIP: String, now: Timestamp) -> PodStatus {
        var status = pod.status ?? PodStatus()
        status.phase = .running
        status.reason = nil
        status.message = nil
        status.hostIP = hostIP
        status.podIP = podIP
        status.startTime = status.startTime ?? now
        let old = status.conditions ?? []
        let owned = ["PodScheduled", "Initialized", "ContainersReady", "Ready"]
        var conditions = old.filter { !owned.contains($0.type) }
        for type in owned {
            let previous = old.first { $0.type == type && $0.status == "True" }
            conditions.append(PodCondition(type: type, status: "True",
                                           lastTransitionTime: previous?.lastTransitionTime ?? now))
        }
        status.conditions = conditions
        let uid = pod.metadata.uid ?? pod.metadata.name ?? ""
        status.containerStatuses = (pod.spec?.containers ?? []).map { container in
            var running = ContainerStatus(
                name: container.name, state: ContainerState(running: ContainerStateRunning(startedAt: now)),
                ready: true, restartCount: 0, image: container.image ?? "")
            running.containerID = "hollow://\(uid)/\(container.name)"
            running.imageID = "hollow://\(running.image)"
            return running
        }
        return status
    }
}
