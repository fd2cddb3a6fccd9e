import OrcaAPI

/// Hands out service IPs from the service CIDR: each IP to at most one service, for as long as
/// that service lives.
///
/// The allocation is persisted through the services themselves (their `spec.clusterIP` is in the
/// durable store), and the allocator is rebuilt from them when the master starts, so an IP
/// is never given to two services across restarts either.
actor ServiceIPAllocator {
    let cidr: IPv4CIDR
    /// Index i is the address network + 1 + i: the network and broadcast addresses are never handed out.
    private var range: RangeAllocator

    init(cidr: IPv4CIDR) {
        self.cidr = cidr
        range = RangeAllocator(size: cidr.size > 2 ? cidr.size - 2 : 0)
    }

    var allocatedCount: Int { range.usedCount }

    /// A random free address (random, as the seed's 10.0.29.247 suggests, so addresses of deleted
    /// services are unlikely to be reused soon).
    func allocate() throws -> String {
        guard let index = range.allocate(randomStart: true) else {
            throw APIError.invalid(kind: "Service", name: "", [
                FieldError(.invalid, "spec.clusterIP", "no free addresses left in the service range \(cidr)"),
            ])
        }
        return IPv4CIDR.format(cidr.network &+ 1 &+ index)
    }

    /// Takes a specific address a user asked for; 422 when it is taken or outside the range.
    func allocate(_ ip: String, service: String) throws {
        guard let address = IPv4CIDR.parseAddress(ip) else {
            throw invalid(service, ip, "must be a valid IPv4 address")
        }
        guard let index = index(of: address) else {
            throw invalid(service, ip, "provided IP is not in the valid range. The range of valid IPs is \(cidr)")
        }
        guard range.claim(index) else {
            throw invalid(service, ip, "provided IP is already allocated")
        }
    }

    /// Records an address already held by a stored service (at start-up).
    func markUsed(_ ip: String) {
        if let address = IPv4CIDR.parseAddress(ip), let index = index(of: address) { _ = range.claim(index) }
    }

    func release(_ ip: String) {
        if let address = IPv4CIDR.parseAddress(ip), let index = index(of: address) { range.release(index) }
    }

    private func index(of address: UInt32) -> UInt32? {
        guard cidr.contains(address), address != cidr.network, address != cidr.broadcast else { return nil }
        return address &- cidr.network &- 1
    }

    private func invalid(_ service: String, _ ip: String, _ why: String) -> APIError {
        APIError.invalid(kind: "Service", name: service, [.invalid("spec.clusterIP", ip, why)])
    }
}
