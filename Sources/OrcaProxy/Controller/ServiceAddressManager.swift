/// Makes service IPs local addresses of this network namespace, so the proxy can listen on them
/// and packets to them from pods (routed to the minion) are delivered to it.
///
/// The proxy controller calls ``add(_:)`` before an apply (a listener needs its address) and
/// ``removeAll(except:)`` after it (the listeners of removed services are closed by then).
public protocol ServiceAddressManager: Sendable {
    /// Makes every address of `addresses` local; those already local stay.
    func add(_ addresses: Set<String>) async throws
    /// Removes the service addresses it manages that are not in `addresses`.
    func removeAll(except addresses: Set<String>) async throws
}

/// For tests and setups where the service IPs are local already (127.0.0.0/8 on loopback): does
/// nothing.
public struct LocalAddresses: ServiceAddressManager {
    public init() {}
    public func add(_ addresses: Set<String>) async throws {}
    public func removeAll(except addresses: Set<String>) async throws {}
}
