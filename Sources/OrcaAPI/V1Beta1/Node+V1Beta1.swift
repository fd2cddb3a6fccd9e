extension Node: V1Beta1Convertible {
    public static let v1beta1Resource = "minions"
    public static let v1beta1Kind = "Minion"

    /// `hostIP` becomes the `InternalIP` address, `resources.capacity` the capacity (a number
    /// is millicores for `cpu`, bytes for `memory`), `status.conditions` the conditions
    /// (`Full`/`None` -> `True`/`False`). Minions have no namespace.
    public init(v1beta1 minion: V1Beta1.Minion) throws(APIError) {
        let meta = minion.typeMeta.objectMeta(labels: minion.labels, namespaced: false)
        var spec = NodeSpec(podCIDR: minion.podCIDR, unschedulable: minion.unschedulable)
        spec.externalID = minion.externalID

        var addresses = minion.status?.addresses ?? []
        if let hostIP = minion.hostIP, !hostIP.isEmpty,
           !addresses.contains(where: { $0.type == "InternalIP" && $0.address == hostIP }) {
            addresses.insert(NodeAddress(type: "InternalIP", address: hostIP), at: 0)
        }
        var capacity: [String: Quantity]?
        if let given = minion.resources?.capacity {
            capacity = [:]
            for (name, amount) in given {
                guard let quantity = Quantity(v1beta1: amount, resource: name) else {
                    throw .unconvertible(
                        FieldPath("resources.capacity").key(name),
                        "Invalid value: \"\(amount)\": must be a number or a quantity such as 4Gi")
                }
                capacity?[name] = quantity
            }
        }
        var status: NodeStatus?
        if capacity != nil || !addresses.isEmpty || minion.status != nil {
            status = NodeStatus(
                capacity: capacity, conditions: minion.status?.conditions?.map(NodeCondition.init(v1beta1:)),
                addresses: addresses.isEmpty ? nil : addresses)
            status?.phase = minion.status?.phase
        }
        self.init(metadata: meta, spec: spec, status: status)
    }

    public var v1beta1: V1Beta1.Minion {
        let capacity = status?.capacity.map { given in
            Dictionary(uniqueKeysWithValues: given.map { ($0.key, $0.value.v1beta1(resource: $0.key)) })
        }
        var minionStatus: V1Beta1.MinionStatus?
        if let status, status.phase != nil || status.conditions != nil || status.addresses != nil {
            minionStatus = V1Beta1.MinionStatus(
                phase: status.phase, conditions: status.conditions?.map(\.v1beta1), addresses: status.addresses)
        }
        var out = V1Beta1.Minion(
            typeMeta: V1Beta1.TypeMeta(kind: Node.v1beta1Kind, metadata: metadata),
            hostIP: status?.addresses?.first(where: { $0.type == "InternalIP" })?.address,
            resources: capacity.map { V1Beta1.NodeResources(capacity: $0) },
            labels: metadata.labels, status: minionStatus)
        out.podCIDR = spec?.podCIDR
        out.unschedulable = spec?.unschedulable
        out.externalID = spec?.externalID
        return out
    }
}

extension NodeCondition {
    init(v1beta1 c: V1Beta1.MinionCondition) {
        let status: String = switch c.status {
        case "Full": "True"
        case "None": "False"
        case let other?: other.isEmpty ? "Unknown" : other
        case nil: "Unknown"
        }
        self.init(type: c.kind ?? "", status: status, lastHeartbeatTime: c.lastProbeTime,
                  lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message)
    }

    var v1beta1: V1Beta1.MinionCondition {
        let status = switch self.status {
        case "True": "Full"
        case "False": "None"
        default: self.status
        }
        return V1Beta1.MinionCondition(
            kind: type, status: status, lastProbeTime: lastHeartbeatTime, lastTransitionTime: lastTransitionTime,
            reason: reason, message: message)
    }
}

extension Quantity {
    /// A v1beta1 capacity: numbers are millicores for `cpu` and whole units otherwise; text is a quantity.
    init?(v1beta1 amount: IntOrString, resource: String) {
        switch amount {
        case .int(let n): self = resource == "cpu" ? Quantity(milli: Int64(n)) : Quantity(integer: Int64(n))
        case .string(let text): self.init(text)
        }
    }

    /// Whole numbers as v1beta1 wrote them (millicores for `cpu`); fractions stay quantity text.
    func v1beta1(resource: String) -> IntOrString {
        if resource == "cpu" { return .int(Int(milliValue)) }
        return milliValue % 1000 == 0 ? .int(Int(milliValue / 1000)) : .string(text)
    }
}
