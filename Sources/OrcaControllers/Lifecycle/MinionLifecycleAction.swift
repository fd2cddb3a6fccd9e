/// One step the minion lifecycle controller takes about a lost minion, decided by
/// ``MinionLifecycleReconciler`` and carried out by ``MinionLifecycleController``.
public enum MinionLifecycleAction: Sendable, Hashable {
    /// Set the minion's `Ready` condition to `Unknown` (reason `MinionStatusUnknown`): it stopped
    /// posting status for longer than the grace period.
    case markNotReady(minion: String)
    /// Set the pod's phase to `Failed` with reason `NodeLost`, so its replication controller
    /// replaces it at once; the pod object stays until it is deleted.
    case failPod(namespace: String, name: String)
    /// Delete the pod: its minion has been lost for longer than the pod eviction timeout.
    case deletePod(namespace: String, name: String)
}

extension MinionLifecycleAction: CustomStringConvertible {
    public var description: String {
        switch self {
        case .markNotReady(let minion): "mark minion \(minion) NotReady"
        case .failPod(let namespace, let name): "fail pod \(namespace)/\(name)"
        case .deletePod(let namespace, let name): "delete pod \(namespace)/\(name)"
        }
    }
}
