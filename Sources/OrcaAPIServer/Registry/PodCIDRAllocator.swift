import OrcaAPI

/// Gives each minion a /24 of the cluster CIDR (default 10.244.0.0/16) for its pods, unless the
/// minion brings its own; rebuilt from the stored minions when the master starts, as the
/// service-IP allocation is.
actor PodCIDRAllocator {
    let cluster: IPv4CIDR
    let subnetLength: Int
    private var range: RangeAllocator

    init(cluster: IPv4CIDR, subnetLength: Int = 24) {
        self.cluster = cluster
        self.subnetLength = max(subnetLength, cluster.prefixLength)
        range = RangeAllocator(size: UInt32(1) << UInt32(self.subnetLength - cluster.prefixLength))
    }

    /// The first free subnet.
    func allocate(node: String) throws -> String {
        guard let index = range.allocate(randomStart: false) else {
            throw APIError.invalid(kind: "Node", name: node, [
                FieldError(.invalid, "spec.podCIDR", "no free pod subnets left in the cluster range \(cluster)"),
            ])
        }
        return "\(IPv4CIDR.format(cluster.network &+ index << UInt32(32 - subnetLength)))/\(subnetLength)"
    }

    /// Takes the subnet a minion asked for when it lies in the cluster range; a subnet outside the
    /// range is the minion's own business. 422 when another minion has it.
    func claim(_ cidr: String, node: String) throws {
        guard let index = index(of: cidr) else { return }
        guard range.claim(index) else {
            throw APIError.invalid(kind: "Node", name: node, [
                .invalid("spec.podCIDR", cidr, "is already allocated to another minion"),
            ])
        }
    }

    func markUsed(_ cidr: String) {
        if let index = index(of: cidr) { _ = range.claim(index) }
    }

    func release(_ cidr: String) {
        if let index = index(of: cidr) { range.release(index) }
    }

    private func index(of text: String) -> UInt32? {
        guard let subnet = IPv4CIDR(text), subnet.prefixLength == subnetLength,
              cluster.contains(subnet.network) else { return nil }
        return (subnet.network &- cluster.network) >> UInt32(32 - subnetLength)
    }
}
