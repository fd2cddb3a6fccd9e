import OrcaAPI
import OrcaRuntime

/// What the kubelet knows of one pod bound to it.
struct PodRecord: Sendable {
    var uid: String
    var key: String
    /// The pod as last seen from the master.
    var pod: Pod
    var sandbox: PodNetwork.Sandbox?
    /// Why the sandbox could not be made, shown as the containers' waiting message.
    var sandboxError: String?
    var containers: [String: ContainerRecord] = [:]
    var startTime: Timestamp?
    /// The status last written, so an unchanged one is not written again.
    var reported: PodStatus?

    init(pod: Pod) {
        uid = pod.metadata.uid ?? ""
        key = (pod.metadata.namespace ?? "default") + "/" + (pod.metadata.name ?? "")
        self.pod = pod
    }

    func container(_ name: String) -> ContainerRecord {
        containers[name] ?? ContainerRecord(name: name)
    }
}
