import Foundation
import OrcaAPI
import OrcaControllers
import Synchronization

/// Minions and pods for the lifecycle tests.
enum LifecycleFixtures {
    /// A wall-clock time `seconds` after a fixed origin, for heartbeats: the controller compares
    /// heartbeats only with earlier heartbeats, never with its own clock.
    static func time(_ seconds: Int) -> Timestamp {
        Timestamp(Date(timeIntervalSince1970: 1_700_000_000 + Double(seconds)))
    }

    /// A minion whose `Ready` condition has `status` and a heartbeat at `heartbeat` (nil: none).
    static func node(_ name: String = "minion-1", heartbeat: Int? = 0, ready: String = "True") -> Node {
        var meta = ObjectMeta(name: name)
        meta.uid = "uid-\(name)"
        meta.resourceVersion = "7"
        let conditions = [
            NodeCondition(type: "Ready", status: ready, lastHeartbeatTime: heartbeat.map(time),
                          lastTransitionTime: time(0), reason: "MinionReady"),
            NodeCondition(type: "DiskPressure", status: "False", lastHeartbeatTime: heartbeat.map(time)),
        ]
        return Node(metadata: meta, spec: NodeSpec(podCIDR: "10.244.1.0/24"),
                    status: NodeStatus(capacity: ["cpu": Quantity(integer: 4)], conditions: conditions))
    }

    static func pod(_ name: String, node: String? = "minion-1", phase: PodPhase = .running,
                    namespace: String = "default") -> Pod {
        var meta = ObjectMeta(name: name, namespace: namespace)
        meta.uid = "uid-\(name)"
        meta.resourceVersion = "9"
        var status = PodStatus(phase: phase)
        status.podIP = "10.244.1.5"
        status.conditions = [PodCondition(type: "Ready", status: "True"),
                             PodCondition(type: "PodScheduled", status: "True")]
        return Pod(metadata: meta, spec: PodSpec(containers: [Container(name: "web", image: "nginx")], nodeName: node),
                   status: status)
    }
}

extension Duration {
    static func s(_ seconds: Double) -> Duration { .milliseconds(Int64(seconds * 1000)) }
}

extension [MinionLifecycleAction] {
    var marks: [String] { compactMap { if case .markNotReady(let minion) = $0 { minion } else { nil } } }
    var fails: [String] { compactMap { if case .failPod(_, let name) = $0 { name } else { nil } } }
    var deletes: [String] { compactMap { if case .deletePod(_, let name) = $0 { name } else { nil } } }
}


