import Logging
import NIOCore
import NIOPosix

/// The userspace service proxy: one listener per service port on the service IP, balancing new TCP
/// connections and UDP sessions over the service's endpoints.
///
/// ``apply(_:)`` takes the full desired set of rules and reconciles the listeners to it: it opens
/// listeners for new keys, closes those whose key is gone, and swaps the endpoints (and affinity)
/// of the others in place, keeping the listening socket and its live connections. Applies run one
/// after another in call order.
///
/// Bytes never leave SwiftNIO: an accepted connection and its backend connection share one event
/// loop and are joined by channel handlers (``GlueHandler``); the choice of endpoint is one short
/// lock per connection. The service IPs must be local addresses of the network namespace (see
/// ``ServiceAddressManager``); a rule whose address cannot be bound is reported in
/// ``ApplyResult/failed`` and tried again by the next apply.
///
/// ```swift
/// let proxy = ServiceProxy(logger: logger)
/// let result = await proxy.apply(rules)
/// ...
/// await proxy.shutdown()   // before the process exits or the event loop group shuts down
/// ```
public actor ServiceProxy {
    public struct Configuration: Sendable {
        /// A backend connect that takes longer fails over to the next endpoint.
        public var connectTimeout: Duration = .seconds(1)
        /// A UDP session without a datagram in either direction for this long is closed.
        public var udpSessionTimeout: Duration = .seconds(30)
        /// The accept queue of each TCP listener.
        public var backlog: Int32 = 1024
        /// The largest read from a socket; reads adapt between 1 KiB and this. Small on purpose:
        /// bytes pass through the proxy's buffers while they are still in the CPU's cache. On two
        /// cores, 1 MiB transfers went at 80–90% of the direct rate with 32 KiB reads and a
        /// 128 KiB high watermark, 69–73% with 64–256 KiB reads, 47% with 16 KiB (bench/proxy).
        public var maxReadSize: Int = 32 * 1024
        /// A connection stops reading from its peer while more than `highWaterMark` bytes wait to
        /// be written to the other side, and reads again below `lowWaterMark`.
        public var lowWaterMark: Int = 32 * 1024
        public var highWaterMark: Int = 128 * 1024

        public init() {}
    }

    /// What an apply did.
    public struct ApplyResult: Sendable {
        public var opened: [ProxyRule.Key] = []
        /// Listeners kept whose endpoints, affinity or service changed.
        public var updated: [ProxyRule.Key] = []
        public var closed: [ProxyRule.Key] = []
        /// Listeners that could not be bound (address not local, port taken, bad IP); the next
        /// apply tries them again.
        public var failed: [ProxyRule.Key: any Error] = [:]
        /// Rules ignored because an earlier rule of the same apply has their key.
        public var conflicts: [ProxyRule] = []
        /// Endpoints ignored because their IP or port is not valid.
        public var invalidEndpoints: [ProxyRule.Endpoint] = []

        public init() {}

        /// Whether every rule is being served as asked.
        public var isComplete: Bool { failed.isEmpty && conflicts.isEmpty && invalidEndpoints.isEmpty }
    }

    private struct Entry {
        var rule: ProxyRule
        var listener: ProxyListener
    }

    public let configuration: Configuration
    let group: any EventLoopGroup
    private let logger: Logger
    private var entries: [ProxyRule.Key: Entry] = [:]
    private var lastApply: Task<Void, Never>?
    private var isShutDown = false

    /// The proxy's own event loops: half the cores, at least one. Every byte a pod sends through a
    /// service is read and written by the proxy, so with one loop per core the proxy can take every
    /// core from the pods at both ends of the traffic it carries; on two cores one loop moved 1 MiB
    /// transfers at 81% of the direct rate against 64% with two (BENCHMARKS.md, "Service proxy").
    public static let defaultGroup: MultiThreadedEventLoopGroup =
        MultiThreadedEventLoopGroup(numberOfThreads: max(1, System.coreCount / 2))

    /// - Parameter group: where listeners and connections run; ``defaultGroup`` unless given.
    public init(group: any EventLoopGroup = ServiceProxy.defaultGroup,
                configuration: Configuration = Configuration(), logger: Logger = Logger(label: "orca.proxy")) {
        self.group = group
        self.configuration = configuration
        self.logger = logger
    }

    /// The rules being served, by listener key.
    public var rules: [ProxyRule.Key: ProxyRule] { entries.mapValues(\.rule) }

    /// Open client connections over every TCP listener (for tests and diagnostics).
    public var connectionCount: Int { entries.values.reduce(0) { $0 + $1.listener.connections.count } }

    /// Open UDP sessions over every UDP listener (for tests and diagnostics).
    public var udpSessionCount: Int {
        get async {
            var count = 0
            for entry in entries.values { count += await entry.listener.udpSessionCount() }
            return count
        }
    }

    /// Reconciles the listeners to `desired`, the full set of rules (a rule not in it is closed).
    /// Established TCP connections of a closed listener run to their end, as with Kubernetes.
    @discardableResult
    public func apply(_ desired: [ProxyRule]) async -> ApplyResult {
        await serially { await $0.reconcile(desired) }
    }

    /// Closes every listener and every connection through the proxy. Later applies do nothing.
    public func shutdown() async {
        await serially { proxy in
            proxy.isShutDown = true
            let entries = proxy.entries.values
            proxy.entries = [:]
            for entry in entries { await entry.listener.close(connections: true) }
            return ()
        }
    }

    /// Runs `body` after every earlier call of it has finished (actor methods alone interleave at
    /// their suspension points).
    private func serially<T: Sendable>(_ body: @escaping @Sendable (isolated ServiceProxy) async -> T) async -> T {
        let previous = lastApply
        let task = Task<T, Never> {
            await previous?.value
            return await body(self)
        }
        lastApply = Task { _ = await task.value }
        return await task.value
    }

    private func reconcile(_ desired: [ProxyRule]) async -> ApplyResult {
        var result = ApplyResult()
        var wanted: [ProxyRule.Key: ProxyRule] = [:]
        wanted.reserveCapacity(desired.count)
        for rule in desired {
            if wanted[rule.key] == nil { wanted[rule.key] = rule } else { result.conflicts.append(rule) }
        }
        if isShutDown {
            for key in wanted.keys { result.failed[key] = ServiceProxyError.shutDown }
            return result
        }

        // Closed first, so a port given up by one rule is free for another.
        var closing: [ProxyListener] = []
        for key in entries.keys where wanted[key] == nil {
            if let entry = entries.removeValue(forKey: key) {
                closing.append(entry.listener)
                result.closed.append(key)
            }
        }
        await withTaskGroup(of: Void.self) { group in
            for listener in closing { group.addTask { await listener.close(connections: false) } }
        }

        var opening: [(ProxyRule, ServiceBalancer, ConnectionSet, EventLoopFuture<any Channel>)] = []
        for (key, rule) in wanted {
            let (endpoints, invalid) = ServiceBalancer.resolve(rule.endpoints)
            result.invalidEndpoints += invalid
            if let entry = entries[key] {
                guard entry.rule != rule else { continue }
                entry.listener.balancer.update(rule: rule, endpoints: endpoints)
                entries[key]?.rule = rule
                result.updated.append(key)
            } else {
                let balancer = ServiceBalancer(rule: rule, endpoints: endpoints)
                let connections = ConnectionSet()
                opening.append((rule, balancer, connections, bind(rule, balancer: balancer, connections: connections)))
            }
        }
        // Every bind is started before the first is awaited: a thousand listeners open in parallel.
        for (rule, balancer, connections, bound) in opening {
            do {
                let channel = try await bound.get()
                let listener = ProxyListener(key: rule.key, channel: channel, balancer: balancer,
                                             connections: connections)
                entries[rule.key] = Entry(rule: rule, listener: listener)
                result.opened.append(rule.key)
            } catch {
                result.failed[rule.key] = error
            }
        }
        result.opened.sort()
        result.updated.sort()
        result.closed.sort()
        log(result)
        return result
    }

    private func log(_ result: ApplyResult) {
        for (key, error) in result.failed.sorted(by: { $0.key < $1.key }) {
            logger.warning("cannot listen; will retry", metadata: ["listener": "\(key)", "error": "\(error)"])
        }
        for rule in result.conflicts {
            logger.warning("service port ignored: another service has its address and port",
                           metadata: ["service": "\(rule.serviceName)", "listener": "\(rule.key)"])
        }
        for endpoint in result.invalidEndpoints {
            logger.warning("endpoint ignored: not an IP address and port", metadata: ["endpoint": "\(endpoint)"])
        }
        logger.debug("proxy rules applied", metadata: [
            "opened": "\(result.opened.count)", "updated": "\(result.updated.count)",
            "closed": "\(result.closed.count)", "listeners": "\(entries.count)",
        ])
    }
}

/// Why a rule is not served.
public enum ServiceProxyError: Error, Sendable, Equatable {
    /// The proxy was shut down.
    case shutDown
    /// The service IP or port is not a valid address to listen on.
    case invalidAddress(String)
}
