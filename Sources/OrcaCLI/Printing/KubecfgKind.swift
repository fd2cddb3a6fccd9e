import OrcaAPI

/// A kind `kubecfg` prints as a table: the header of its columns and one row per object.
///
/// Refines ``OrcaAPI/V1Beta1Convertible`` so `print` can read v1beta1 manifests and
/// `-api_version v1beta1` can print that shape.
public protocol KubecfgKind: V1Beta1Convertible {
    /// The column titles, as the original kubecfg named them.
    static var tableHeader: [String] { get }
    /// This object's cells, one per header column.
    var tableRow: [String] { get }
}

/// `k=v` pairs sorted by key and joined by commas, as Go's `labels.Set.String()` writes them.
func formatLabels(_ labels: [String: String]?) -> String {
    (labels ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
}

extension Pod: KubecfgKind {
    public static let tableHeader = ["Name", "Image(s)", "Host", "Labels", "Status"]

    /// Host is `minion/hostIP`, just `minion` while the minion has not reported the pod's host
    /// IP, and `<unassigned>` until the pod is bound.
    public var tableRow: [String] {
        [
            metadata.name ?? "",
            (spec?.containers ?? []).map { $0.image ?? "" }.joined(separator: ","),
            Self.hostCell(node: spec?.nodeName ?? "", hostIP: status?.hostIP ?? ""),
            formatLabels(metadata.labels),
            status?.phase?.rawValue ?? "",
        ]
    }

    static func hostCell(node: String, hostIP: String) -> String {
        switch (node.isEmpty, hostIP.isEmpty) {
        case (true, true): "<unassigned>"
        case (false, true): node
        case (true, false): hostIP
        case (false, false): node + "/" + hostIP
        }
    }
}

extension ReplicationController: KubecfgKind {
    public static let tableHeader = ["Name", "Image(s)", "Selector", "Replicas"]

    /// Replicas is the desired count (`spec.replicas`), as the original showed.
    public var tableRow: [String] {
        [
            metadata.name ?? "",
            (spec?.template?.spec?.containers ?? []).map { $0.image ?? "" }.joined(separator: ","),
            formatLabels(spec?.selector),
            String(spec?.replicas ?? 0),
        ]
    }
}

extension Service: KubecfgKind {
    public static let tableHeader = ["Name", "Labels", "Selector", "IP", "Port"]

    /// IP is the cluster IP (v1beta1 `portalIP`); Port lists every port, comma-joined.
    public var tableRow: [String] {
        [
            metadata.name ?? "",
            formatLabels(metadata.labels),
            formatLabels(spec?.selector),
            spec?.clusterIP ?? "",
            (spec?.ports ?? []).map { String($0.port) }.joined(separator: ","),
        ]
    }
}

extension Node: KubecfgKind {
    public static let tableHeader = ["Minion identifier"]

    public var tableRow: [String] { [metadata.name ?? ""] }
}

extension Event: KubecfgKind {
    public static let tableHeader = ["Name", "Kind", "Status", "Reason", "Message"]

    /// Name and Kind are the involved object's; Status is the v1 event type (`Normal`, `Warning`).
    public var tableRow: [String] {
        [
            involvedObject.name ?? "",
            involvedObject.kind ?? "",
            type ?? "",
            reason ?? "",
            message ?? "",
        ]
    }
}

extension Endpoints: KubecfgKind {
    public static let tableHeader = ["Name", "Endpoints"]

    /// Every ready `ip:port`, as v1beta1's `endpoints` list wrote them.
    public var tableRow: [String] {
        var addresses: [String] = []
        for subset in subsets ?? [] {
            for address in subset.addresses ?? [] {
                for port in subset.ports ?? [] { addresses.append("\(address.ip):\(port.port)") }
            }
        }
        return [metadata.name ?? "", addresses.joined(separator: ",")]
    }
}
