import OrcaAPI

extension Pod {
    /// Whether the pod has ended for good (`Succeeded` or `Failed`): it is not a live replica
    /// and does not serve traffic, whatever its conditions say.
    var isTerminal: Bool {
        switch status?.phase {
        case .succeeded?, .failed?: true
        default: false
        }
    }

    /// Whether a deletion has begun (`metadata.deletionTimestamp` is set).
    var isBeingDeleted: Bool { metadata.deletionTimestamp != nil }

    /// Whether the pod's `Ready` condition is `True` (what the kubelet reports once every
    /// container is ready). A pod without conditions is not ready.
    var hasReadyCondition: Bool {
        status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } ?? false
    }

    /// The owner reference marked `controller: true`, if any: the one object that manages this pod.
    var controllerReference: OwnerReference? {
        metadata.ownerReferences?.first { $0.controller == true }
    }

    /// `namespace/name`, the key informers and work queues use for pods.
    var cacheKey: String { "\(metadata.namespace ?? "default")/\(metadata.name ?? "")" }
}
