import NIOCore
import Synchronization

/// An endpoint with its socket address parsed once, when the rule is applied, not per connection.
struct ResolvedEndpoint: Hashable, Sendable, CustomStringConvertible {
    var endpoint: ProxyRule.Endpoint
    var address: SocketAddress

    var description: String { endpoint.description }
}

/// The live choice of endpoints of one listener, shared by its connections on every event loop and
/// swapped in place by ``ServiceProxy/apply(_:)``.
///
/// One short lock per new connection or UDP session; bytes of established connections never
/// touch it.
final class ServiceBalancer: Sendable {
    private struct State {
        var rule: ProxyRule
        var balancer: EndpointBalancer<ResolvedEndpoint>
    }

    private let state: Mutex<State>
    /// Bumped on every change of endpoints, so UDP sessions notice cheaply that theirs may be gone.
    private let generationCounter = Atomic<Int>(0)

    /// - Parameter endpoints: `rule.endpoints` that parsed (see ``resolve(_:)``).
    init(rule: ProxyRule, endpoints: [ResolvedEndpoint]) {
        state = Mutex(State(rule: rule, balancer: EndpointBalancer(
            endpoints: endpoints, affinityTimeout: Self.affinityTimeout(rule.sessionAffinity))))
    }

    var rule: ProxyRule { state.withLock { $0.rule } }

    var generation: Int { generationCounter.load(ordering: .relaxed) }

    /// Swaps the endpoints and affinity in place; connections already made are left alone.
    func update(rule: ProxyRule, endpoints: [ResolvedEndpoint]) {
        let timeout = Self.affinityTimeout(rule.sessionAffinity)
        state.withLock {
            $0.rule = rule
            $0.balancer.update(endpoints: endpoints, affinityTimeout: timeout)
        }
        generationCounter.add(1, ordering: .relaxed)
    }

    /// The endpoints to try for a new connection from `client`, best first (empty: none).
    func candidates(client: String?) -> [ResolvedEndpoint] {
        let now = ContinuousClock.now
        return state.withLock { $0.balancer.candidates(client: client, now: now) }
    }

    /// Whether this listener has client-IP affinity (only then is ``connected(client:to:)`` needed).
    var hasAffinity: Bool { state.withLock { $0.balancer.affinityTimeout != nil } }

    func connected(client: String?, to endpoint: ResolvedEndpoint) {
        let now = ContinuousClock.now
        state.withLock { $0.balancer.connected(client: client, to: endpoint, now: now) }
    }

    func contains(_ endpoint: ResolvedEndpoint) -> Bool { state.withLock { $0.balancer.contains(endpoint) } }

    /// The rule's endpoints that are valid IPv4/IPv6 addresses and ports, and those that are not.
    static func resolve(_ endpoints: [ProxyRule.Endpoint])
        -> (valid: [ResolvedEndpoint], invalid: [ProxyRule.Endpoint]) {
        var valid: [ResolvedEndpoint] = []
        var invalid: [ProxyRule.Endpoint] = []
        var seen = Set<ProxyRule.Endpoint>()
        for endpoint in endpoints where seen.insert(endpoint).inserted {
            guard (1...65535).contains(endpoint.port),
                  let address = try? SocketAddress(ipAddress: endpoint.ip, port: endpoint.port) else {
                invalid.append(endpoint)
                continue
            }
            valid.append(ResolvedEndpoint(endpoint: endpoint, address: address))
        }
        return (valid, invalid)
    }

    private static func affinityTimeout(_ affinity: ProxyRule.SessionAffinity) -> Duration? {
        switch affinity {
        case .none: nil
        case .clientIP(let timeout): timeout
        }
    }
}
