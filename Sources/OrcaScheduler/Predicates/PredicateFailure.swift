/// Why one minion cannot take a pod: the first predicate that failed for it.
///
/// The cases are in the order the predicates are checked when explaining a verdict, which is also
/// the order of the reasons in the unschedulable message.
public enum PredicateFailure: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The minion's `Ready` condition is not `True`.
    case notReady
    /// `spec.unschedulable` is set.
    case unschedulable
    /// A `spec.nodeSelector` label is missing or different on the minion.
    case nodeSelectorMismatch
    /// A pod on the minion already uses this host port and protocol.
    case hostPortInUse(HostPort)
    /// The CPU request does not fit what is left of the minion's allocatable CPU.
    case insufficientCPU
    /// The memory request does not fit what is left of the minion's allocatable memory.
    case insufficientMemory

    /// The words after the count in `0/3 minions available: 2 insufficient cpu`.
    public var description: String {
        switch self {
        case .notReady: "not ready"
        case .unschedulable: "marked unschedulable"
        case .nodeSelectorMismatch: "not matching nodeSelector"
        case .hostPortInUse(let port): "hostPort \(port) in use"
        case .insufficientCPU: "insufficient cpu"
        case .insufficientMemory: "insufficient memory"
        }
    }
}
