import Foundation
import OrcaAPI

/// `kubectl get pods`: NAME READY STATUS RESTARTS AGE, and with `-o wide` IP NODE NOMINATED NODE
/// READINESS GATES, computed as Kubernetes' pod printer does.
extension Pod: TablePrintable {
    static var tableColumns: [TableColumn] {
        [
            .name,
            TableColumn(name: "Ready", description: "The aggregate readiness state of this pod for accepting traffic."),
            TableColumn(name: "Status", description: "The aggregate status of the containers in this pod."),
            TableColumn(name: "Restarts", description: "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
            .age,
            TableColumn(name: "IP", description: "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", priority: 1),
            TableColumn(name: "Node", description: "NodeName is the name of the node the pod is bound to; the scheduler sets it.", priority: 1),
            TableColumn(name: "Nominated Node", description: "nominatedNodeName is set only when this pod preempts other pods on the node.", priority: 1),
            TableColumn(name: "Readiness Gates", description: "If specified, all readiness gates will be evaluated for pod readiness.", priority: 1),
        ]
    }

    func tableCells(now: Date) -> [TableCell] {
        let summary = statusSummary
        var restarts = String(summary.restarts)
        if summary.restarts != 0, let last = summary.lastRestart {
            restarts = "\(summary.restarts) (\(HumanDuration.since(last, now: now)) ago)"
        }
        return [
            .string(metadata.name ?? ""),
            .string("\(summary.ready)/\(spec?.containers.count ?? 0)"),
            .string(summary.reason),
            .string(restarts),
            .string(HumanDuration.since(metadata.creationTimestamp, now: now)),
            .string(status?.podIP.flatMap { $0.isEmpty ? nil : $0 } ?? "<none>"),
            .string(spec?.nodeName.flatMap { $0.isEmpty ? nil : $0 } ?? "<none>"),
            .string("<none>"),
            .string("<none>"),
        ]
    }

    /// The STATUS cell (a waiting or terminated reason over the phase), ready containers, restarts.
    var statusSummary: (reason: String, ready: Int, restarts: Int, lastRestart: Timestamp?) {
        var reason = status?.phase?.rawValue ?? "Pending"
        if let podReason = status?.reason, !podReason.isEmpty { reason = podReason }
        var ready = 0
        var restarts = 0
        var lastRestart: Timestamp?
        var hasRunning = false
        for container in (status?.containerStatuses ?? []).reversed() {
            restarts += container.restartCount
            if let finished = container.lastState?.terminated?.finishedAt, lastRestart.map({ finished > $0 }) ?? true {
                lastRestart = finished
            }
            if let waiting = container.state?.waiting, let why = waiting.reason, !why.isEmpty {
                reason = why
            } else if let terminated = container.state?.terminated, let why = terminated.reason, !why.isEmpty {
                reason = why
            } else if let terminated = container.state?.terminated {
                if let signal = terminated.signal, signal != 0 {
                    reason = "Signal:\(signal)"
                } else {
                    reason = "ExitCode:\(terminated.exitCode)"
                }
            } else if container.ready && container.state?.running != nil {
                hasRunning = true
                ready += 1
            }
        }
        if reason == "Completed" && hasRunning {
            let podReady = status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } ?? false
            reason = podReady ? "Running" : "NotReady"
        }
        if metadata.deletionTimestamp != nil {
            reason = status?.reason == "NodeLost" ? "Unknown" : "Terminating"
        }
        return (reason, ready, restarts, lastRestart)
    }
}
