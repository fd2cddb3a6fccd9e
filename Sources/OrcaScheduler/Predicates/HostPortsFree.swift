/// None of the pod's host ports (with protocol) is already used on the minion.
public enum HostPortsFree {
    public static func check(_ pod: PodRequest, _ minion: MinionInfo) -> PredicateFailure? {
        check(pod, usedHostPorts: minion.usedHostPorts)
    }

    public static func check(_ pod: PodRequest, usedHostPorts: [HostPort: Int]) -> PredicateFailure? {
        if pod.hostPorts.isEmpty || usedHostPorts.isEmpty { return nil }
        for port in pod.hostPorts where usedHostPorts[port] != nil {
            return .hostPortInUse(port)
        }
        return nil
    }
}
