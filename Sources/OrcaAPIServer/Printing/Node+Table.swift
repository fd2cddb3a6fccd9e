import Foundation
import OrcaAPI

/// `kubectl get nodes`: NAME STATUS ROLES AGE VERSION; wide adds INTERNAL-IP EXTERNAL-IP OS-IMAGE
/// KERNEL-VERSION CONTAINER-RUNTIME.
extension Node: TablePrintable {
    static var tableColumns: [TableColumn] {
        [
            .name,
            TableColumn(name: "Status", description: "The status of the node"),
            TableColumn(name: "Roles", description: "The roles of the node"),
            .age,
            TableColumn(name: "Version", description: "Kubelet Version reported by the node."),
            TableColumn(name: "Internal-IP", description: "List of addresses reachable to the node. Queried from cloud provider, if available.", priority: 1),
            TableColumn(name: "External-IP", description: "List of addresses reachable to the node. Queried from cloud provider, if available.", priority: 1),
            TableColumn(name: "OS-Image", description: "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 12 (bookworm)).", priority: 1),
            TableColumn(name: "Kernel-Version", description: "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", priority: 1),
            TableColumn(name: "Container-Runtime", description: "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", priority: 1),
        ]
    }

    func tableCells(now: Date) -> [TableCell] {
        var states: [String] = []
        if let ready = status?.conditions?.first(where: { $0.type == "Ready" }) {
            states.append(ready.status == "True" ? "Ready" : "NotReady")
        }
        if states.isEmpty { states.append("Unknown") }
        if spec?.unschedulable == true { states.append("SchedulingDisabled") }
        let roles = (metadata.labels ?? [:]).keys.compactMap { key -> String? in
            guard key.hasPrefix("node-role.kubernetes.io/") else { return nil }
            return String(key.dropFirst("node-role.kubernetes.io/".count))
        }.sorted()
        func address(_ type: String) -> String {
            status?.addresses?.first { $0.type == type }?.address ?? "<none>"
        }
        let info = status?.nodeInfo
        func known(_ text: String?) -> String { text.flatMap { $0.isEmpty ? nil : $0 } ?? "<unknown>" }
        return [
            .string(metadata.name ?? ""),
            .string(states.joined(separator: ",")),
            .string(roles.isEmpty ? "<none>" : roles.joined(separator: ",")),
            .string(HumanDuration.since(metadata.creationTimestamp, now: now)),
            .string(info?.kubeletVersion ?? ""),
            .string(address("InternalIP")),
            .string(address("ExternalIP")),
            .string(known(info?.osImage)),
            .string(known(info?.kernelVersion)),
            .string(known(info?.containerRuntimeVersion)),
        ]
    }
}
