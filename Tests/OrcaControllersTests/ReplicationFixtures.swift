import Foundation
import OrcaAPI
import OrcaControllers

/// Controllers and pods for the replication tests, in namespace `default` unless asked.
enum ReplicationFixtures {
    static let uid = "rc-uid-1"

    static func rc(
        _ name: String = "web", replicas: Int, selector: [String: String] = ["app": "web"],
        namespace: String = "default", uid: String = ReplicationFixtures.uid, generation: Int64 = 1,
        status: ReplicationControllerStatus? = ReplicationControllerStatus(replicas: 0)
    ) -> ReplicationController {
        var meta = ObjectMeta(name: name, namespace: namespace, labels: selector)
        meta.uid = uid
        meta.generation = generation
        meta.resourceVersion = "10"
        let template = PodTemplateSpec(
            metadata: ObjectMeta(labels: selector.merging(["tier": "front"]) { a, _ in a },
                                 annotations: ["note": "from the template"]),
            spec: PodSpec(containers: [Container(name: "web", image: "nginx",
                                                 ports: [ContainerPort(name: "http", containerPort: 80)])],
                          restartPolicy: .always))
        return ReplicationController(
            metadata: meta, spec: ReplicationControllerSpec(replicas: replicas, selector: selector, template: template),
            status: status)
    }

    /// A pod; `owner` makes it controlled by that RC (nil: an orphan).
    static func pod(
        _ name: String, labels: [String: String] = ["app": "web"], owner: ReplicationController? = nil,
        namespace: String = "default", node: String? = "minion-1", phase: PodPhase = .running,
        ready: Bool = true, createdAt seconds: Double = 0, readySince: Double? = nil, restarts: Int = 0,
        deleting: Bool = false
    ) -> Pod {
        var meta = ObjectMeta(name: name, namespace: namespace, labels: labels)
        meta.uid = "uid-\(name)"
        meta.resourceVersion = "5"
        meta.creationTimestamp = Timestamp(Date(timeIntervalSince1970: 1_700_000_000 + seconds))
        if deleting { meta.deletionTimestamp = Timestamp(Date(timeIntervalSince1970: 1_800_000_000)) }
        if let owner { meta.ownerReferences = [ReplicationReconciler.ownerReference(to: owner)] }
        var status = PodStatus(phase: phase)
        status.conditions = [PodCondition(
            type: "Ready", status: ready ? "True" : "False",
            lastTransitionTime: readySince.map { Timestamp(Date(timeIntervalSince1970: 1_700_000_000 + $0)) })]
        if restarts > 0 {
            status.containerStatuses = [ContainerStatus(name: "web", state: nil, ready: ready, restartCount: restarts,
                                                        image: "nginx")]
        }
        return Pod(metadata: meta, spec: PodSpec(containers: [Container(name: "web", image: "nginx")], nodeName: node),
                   status: status)
    }
}


extension [ReplicationAction] {
    var creates: [Pod] { compactMap { if case .create(let pod) = $0 { pod } else { nil } } }
    var deletes: [String] { compactMap { if case .delete(let name) = $0 { name } else { nil } } }
    var adoptions: [Pod] { compactMap { if case .adopt(let pod) = $0 { pod } else { nil } } }
    var releases: [Pod] { compactMap { if case .release(let pod) = $0 { pod } else { nil } } }
    var statusUpdates: [(replicas: Int, ready: Int, generation: Int64?)] {
        compactMap {
            guard case .updateStatus(let replicas, let ready, let generation) = $0 else { return nil }
            return (replicas, ready, generation)
        }
    }
}
