import OrcaAPI

/// One write the replication manager makes for a replication controller, as decided by
/// ``ReplicationReconciler``. All pods are in the controller's namespace.
public enum ReplicationAction: Sendable, Equatable {
    /// Create this pod (made from the template: `generateName` `<rc>-`, the template's labels and
    /// annotations, the controller as its controlling owner).
    case create(Pod)
    /// Delete the pod with this name (a surplus replica, or an ended pod that has been replaced).
    case delete(name: String)
    /// Write this pod back (compare-and-swap on its `resourceVersion`): a matching orphan with
    /// the controller added as its controlling owner.
    case adopt(Pod)
    /// Write this pod back: a pod the controller owns whose labels no longer match its
    /// selector, with the controller's owner reference removed (it is no longer a replica).
    case release(Pod)
    /// Write the controller's status (only emitted when it differs from the stored one).
    case updateStatus(replicas: Int, readyReplicas: Int, observedGeneration: Int64?)
}

extension ReplicationAction: CustomStringConvertible {
    public var description: String {
        switch self {
        case .create(let pod): "create \(pod.metadata.generateName ?? "")*"
        case .delete(let name): "delete \(name)"
        case .adopt(let pod): "adopt \(pod.metadata.name ?? "")"
        case .release(let pod): "release \(pod.metadata.name ?? "")"
        case .updateStatus(let replicas, let ready, let generation):
            "status replicas=\(replicas) ready=\(ready) observedGeneration=\(generation.map(String.init) ?? "-")"
        }
    }
}
