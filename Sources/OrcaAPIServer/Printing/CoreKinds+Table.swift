import Foundation
import OrcaAPI

// kubectl's columns for the smaller core kinds, as Kubernetes' printers compute them.

extension Endpoints: TablePrintable {
    static var tableColumns: [TableColumn] {
        [.name, TableColumn(name: "Endpoints", description: "Endpoints is the list of endpoints in the service."), .age]
    }

    func tableCells(now: Date) -> [TableCell] {
        var all: [String] = []
        for subset in subsets ?? [] {
            for port in subset.ports ?? [] {
                for address in subset.addresses ?? [] { all.append("\(address.ip):\(port.port)") }
            }
            if (subset.ports ?? []).isEmpty { all += (subset.addresses ?? []).map(\.ip) }
        }
        let shown = all.prefix(3).joined(separator: ",")
        let text = all.isEmpty ? "<none>" : (all.count > 3 ? "\(shown) + \(all.count - 3) more..." : shown)
        return [.string(metadata.name ?? ""), .string(text), .string(HumanDuration.since(metadata.creationTimestamp, now: now))]
    }
}

extension ReplicationController: TablePrintable {
    static var tableColumns: [TableColumn] {
        [
            .name,
            TableColumn(name: "Desired", type: "integer", description: "Replicas is the number of desired replicas."),
            TableColumn(name: "Current", type: "integer", description: "Replicas is the most recently observed number of replicas."),
            TableColumn(name: "Ready", type: "integer", description: "The number of ready replicas for this replication controller."),
            .age,
            TableColumn(name: "Containers", description: "Names of each container in the template.", priority: 1),
            TableColumn(name: "Images", description: "Images referenced by each container in the template.", priority: 1),
            TableColumn(name: "Selector", description: "Selector is a label query over pods that should match the Replicas count.", priority: 1),
        ]
    }

    func tableCells(now: Date) -> [TableCell] {
        let containers = spec?.template?.spec?.containers ?? []
        return [
            .string(metadata.name ?? ""),
            .integer(spec?.replicas ?? 1),
            .integer(status?.replicas ?? 0),
            .integer(status?.readyReplicas ?? 0),
            .string(HumanDuration.since(metadata.creationTimestamp, now: now)),
            .string(containers.map(\.name).joined(separator: ",")),
            .string(containers.map { $0.image ?? "" }.joined(separator: ",")),
            .string(Table.selector(spec?.selector)),
        ]
    }
}

extension Event: TablePrintable {
    static var tableColumns: [TableColumn] {
        [
            TableColumn(name: "Last Seen", description: "The time at which the most recent occurrence of this event was recorded."),
            TableColumn(name: "Type", description: "Type of this event (Normal, Warning), new types could be added in the future."),
            TableColumn(name: "Reason", description: "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
            TableColumn(name: "Object", description: "The object that this event is about."),
            TableColumn(name: "Subobject", description: "The subobject that this event is about.", priority: 1),
            TableColumn(name: "Source", description: "The component reporting this event.", priority: 1),
            TableColumn(name: "Message", description: "A human-readable description of the status of this operation."),
            TableColumn(name: "First Seen", description: "The time at which the event was first recorded.", priority: 1),
            TableColumn(name: "Count", description: "The number of times this event has occurred.", priority: 1),
            TableColumn(name: "Name", format: "name", description: "The name of the event.", priority: 1),
        ]
    }

    func tableCells(now: Date) -> [TableCell] {
        let source = [self.source?.component, self.source?.host].compactMap { $0 }.filter { !$0.isEmpty }
        let last = lastTimestamp ?? firstTimestamp ?? metadata.creationTimestamp
        return [
            .string(HumanDuration.since(last, now: now)),
            .string(type ?? ""),
            .string(reason ?? ""),
            .string("\((involvedObject.kind ?? "").lowercased())/\(involvedObject.name ?? "")"),
            .string(involvedObject.fieldPath ?? ""),
            .string(source.joined(separator: ", ")),
            .string(message ?? ""),
            .string(HumanDuration.since(firstTimestamp ?? metadata.creationTimestamp, now: now)),
            .string(String(count ?? 1)),
            .string(metadata.name ?? ""),
        ]
    }
}

extension Namespace: TablePrintable {
    static var tableColumns: [TableColumn] {
        [.name, TableColumn(name: "Status", description: "The status of the namespace"), .age]
    }

    func tableCells(now: Date) -> [TableCell] {
        [.string(metadata.name ?? ""), .string(status?.phase?.rawValue ?? "Active"),
         .string(HumanDuration.since(metadata.creationTimestamp, now: now))]
    }
}
