extension NodeStatus {
    /// What a minion posts on each heartbeat: `Ready` True as of `now`, capacity (also
    /// allocatable) of CPU, memory and pods, its InternalIP and Hostname, phase Running. The
    /// status subresource replaces the whole status, so every heartbeat carries all of it.
    public static func ready(name: String, hostIP: String, cpu: Quantity, memory: Quantity, maxPods: Int,
                             reason: String, message: String, nodeInfo: NodeSystemInfo, now: Timestamp) -> NodeStatus {
        let resources: [String: Quantity] = [
            "cpu": cpu,
            "memory": memory,
            "pods": Quantity(integer: Int64(maxPods)),
        ]
        var status = NodeStatus(
            capacity: resources,
            conditions: [
                NodeCondition(type: "Ready", status: "True", lastHeartbeatTime: now, lastTransitionTime: now,
                              reason: reason, message: message),
            ],
            addresses: [
                NodeAddress(type: "InternalIP", address: hostIP),
                NodeAddress(type: "Hostname", address: name),
            ])
        status.allocatable = resources
        status.nodeInfo = nodeInfo
        status.phase = "Running"
        return status
    }
}
