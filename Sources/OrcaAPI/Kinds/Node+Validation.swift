extension Node {
    /// Resource names a node may report without a domain prefix.
    public static let standardNodeResources: Set<String> = ["cpu", "memory", "pods", "ephemeral-storage"]

    /// Every problem of a node: its (cluster-wide) name, `spec.podCIDR` as an IPv4 CIDR, and capacity.
    public func validate() -> [FieldError] {
        var errors = Validation.validateObjectMeta(metadata, namespaced: Node.namespaced)
        if let podCIDR = spec?.podCIDR, !podCIDR.isEmpty, !Validation.isIPv4CIDR(podCIDR) {
            errors.append(.invalid("spec.podCIDR", podCIDR, Validation.ipv4CIDRMessage))
        }
        errors += Validation.validateResourceList(status?.capacity, standard: Node.standardNodeResources,
                                                  owner: "nodes", at: "status.capacity")
        errors += Validation.validateResourceList(status?.allocatable, standard: Node.standardNodeResources,
                                                  owner: "nodes", at: "status.allocatable")
        return errors
    }

    /// An update must be valid, and `spec.podCIDR` may not change once set.
    public func validateUpdate(from old: Node) -> [FieldError] {
        var errors = Validation.validateObjectMetaUpdate(metadata, old.metadata) + validate()
        if let oldCIDR = old.spec?.podCIDR, !oldCIDR.isEmpty {
            errors += Validation.validateImmutable(spec?.podCIDR ?? "", oldCIDR, at: "spec.podCIDR")
        }
        return errors
    }
}
