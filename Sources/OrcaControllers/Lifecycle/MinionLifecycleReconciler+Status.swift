import OrcaAPI

extension MinionLifecycleReconciler {
    /// `node` with its `Ready` condition set to `Unknown` (reason `MinionStatusUnknown`), as
    /// written to the status subresource when the minion is lost.
    ///
    /// The condition keeps the minion's last `lastHeartbeatTime`, so marking it does not look like
    /// a heartbeat; its other conditions are kept.
    public static func markedNotReady(_ node: Node, at now: Timestamp) -> Node {
        var node = node
        var status = node.status ?? NodeStatus()
        var conditions = status.conditions ?? []
        let old = conditions.first { $0.type == "Ready" }
        let ready = NodeCondition(
            type: "Ready", status: "Unknown", lastHeartbeatTime: old?.lastHeartbeatTime,
            lastTransitionTime: old?.status == "Unknown" ? old?.lastTransitionTime ?? now : now,
            reason: notReadyReason, message: notReadyMessage)
        if let index = conditions.firstIndex(where: { $0.type == "Ready" }) {
            conditions[index] = ready
        } else {
            conditions.append(ready)
        }
        status.conditions = conditions
        node.status = status
        return node
    }

    /// `pod` failed because `minion` was lost: phase `Failed`, reason `NodeLost`, and its `Ready`
    /// condition `False`, so endpoints drop it.
    public static func markedLost(_ pod: Pod, minion: String, at now: Timestamp) -> Pod {
        var pod = pod
        var status = pod.status ?? PodStatus()
        status.phase = .failed
        status.reason = podLostReason
        status.message = podLostMessage(minion: minion, pod: pod.metadata.name ?? "")
        var conditions = status.conditions ?? []
        let ready = PodCondition(type: "Ready", status: "False", reason: podLostReason,
                                 message: status.message, lastTransitionTime: now)
        if let index = conditions.firstIndex(where: { $0.type == "Ready" }) {
            conditions[index] = ready
        } else {
            conditions.append(ready)
        }
        status.conditions = conditions
        pod.status = status
        return pod
    }
}

extension Node {
    /// The `Ready` condition, which carries the minion's heartbeat.
    var readyCondition: NodeCondition? {
        status?.conditions?.first { $0.type == "Ready" }
    }
}
