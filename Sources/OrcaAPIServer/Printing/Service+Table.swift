import Foundation
import OrcaAPI

/// `kubectl get svc`: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE; wide adds SELECTOR.
extension OrcaAPI.Service: TablePrintable {
    static var tableColumns: [TableColumn] {
        [
            .name,
            TableColumn(name: "Type", description: "type determines how the Service is exposed."),
            TableColumn(name: "Cluster-IP", description: "clusterIP is the IP address of the service and is usually assigned randomly."),
            TableColumn(name: "External-IP", description: "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
            TableColumn(name: "Port(s)", description: "The list of ports that are exposed by this service."),
            .age,
            TableColumn(name: "Selector", description: "Route service traffic to pods with label keys and values matching this selector.", priority: 1),
        ]
    }

    func tableCells(now: Date) -> [TableCell] {
        let ports = (spec?.ports ?? []).map { port in
            let proto = port.protocol?.rawValue ?? "TCP"
            if let nodePort = port.nodePort, nodePort > 0 { return "\(port.port):\(nodePort)/\(proto)" }
            return "\(port.port)/\(proto)"
        }
        let external = spec?.externalIPs ?? []
        return [
            .string(metadata.name ?? ""),
            .string(spec?.type ?? "ClusterIP"),
            .string(spec?.clusterIP.flatMap { $0.isEmpty ? nil : $0 } ?? "<none>"),
            .string(external.isEmpty ? "<none>" : external.joined(separator: ",")),
            .string(ports.isEmpty ? "<none>" : ports.joined(separator: ",")),
            .string(HumanDuration.since(metadata.creationTimestamp, now: now)),
            .string(Table.selector(spec?.selector)),
        ]
    }
}

extension Table {
    /// `app=web,tier=front`, or `<none>`.
    static func selector(_ labels: [String: String]?) -> String {
        guard let labels, !labels.isEmpty else { return "<none>" }
        return labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}
