/// Which endpoint a new connection goes to: round-robin, with optional client-IP affinity.
///
/// Pure value logic (time is passed in), so it is tested without sockets or clocks; the listener
/// keeps one per service port behind a lock (``ServiceBalancer``).
struct EndpointBalancer<Endpoint: Hashable> {
    private struct Stick {
        var endpoint: Endpoint
        var lastUsed: ContinuousClock.Instant
    }

    private(set) var endpoints: [Endpoint]
    /// nil: no affinity.
    private(set) var affinityTimeout: Duration?
    private var next = 0
    private var sticks: [String: Stick] = [:]
    private var recordsSinceSweep = 0

    init(endpoints: [Endpoint], affinityTimeout: Duration?) {
        self.endpoints = endpoints
        self.affinityTimeout = affinityTimeout
    }

    /// How many clients have an affinity now (expired ones may still count until swept).
    var affinityCount: Int { sticks.count }

    /// Replaces the endpoints. Round-robin goes on from where it was; clients stuck to an endpoint
    /// that remains stay stuck to it.
    mutating func update(endpoints: [Endpoint], affinityTimeout: Duration?) {
        guard endpoints != self.endpoints || affinityTimeout != self.affinityTimeout else { return }
        self.endpoints = endpoints
        self.affinityTimeout = affinityTimeout
        next = endpoints.isEmpty ? 0 : next % endpoints.count
        if affinityTimeout == nil {
            sticks = [:]
        } else {
            let live = Set(endpoints)
            sticks = sticks.filter { live.contains($0.value.endpoint) }
        }
    }

    /// The endpoints to try for a new connection from `client`, best first: the client's endpoint
    /// when it has a live affinity, else the next one round-robin; then every other endpoint in
    /// round-robin order, so a connect failure moves on to the next. Empty when there are none.
    mutating func candidates(client: String?, now: ContinuousClock.Instant) -> [Endpoint] {
        let count = endpoints.count
        guard count > 0 else { return [] }
        var first: Int?
        if let timeout = affinityTimeout, let client, let stick = sticks[client],
           stick.lastUsed.duration(to: now) <= timeout {
            first = endpoints.firstIndex(of: stick.endpoint)
        }
        let start: Int
        if let first {
            start = first
        } else {
            start = next
            next = (next + 1) % count
        }
        if count == 1 { return endpoints }
        var order: [Endpoint] = []
        order.reserveCapacity(count)
        for i in 0..<count { order.append(endpoints[(start + i) % count]) }
        return order
    }

    /// Records that `client` reached `endpoint`, for affinity (a no-op without affinity).
    mutating func connected(client: String?, to endpoint: Endpoint, now: ContinuousClock.Instant) {
        guard let timeout = affinityTimeout, let client else { return }
        sticks[client] = Stick(endpoint: endpoint, lastUsed: now)
        recordsSinceSweep += 1
        // Expired entries would otherwise pile up with every client ever seen.
        if recordsSinceSweep >= 4096 {
            recordsSinceSweep = 0
            sticks = sticks.filter { $0.value.lastUsed.duration(to: now) <= timeout }
        }
    }

    /// Whether `endpoint` is still one of the endpoints.
    func contains(_ endpoint: Endpoint) -> Bool { endpoints.contains(endpoint) }
}
