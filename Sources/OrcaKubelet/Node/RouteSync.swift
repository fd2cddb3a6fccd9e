import Logging
import OrcaAPI
import OrcaRuntime
import Synchronization

/// Keeps this minion's routes to the other minions' pod CIDRs (through their host IPs) in
/// step with the minion list. Changes are coalesced: a burst of node updates is one sync.
final class RouteSync: Sendable {
    let network: PodNetwork
    let nodeName: String
    let logger: Logger
    private let wanted = Mutex<(routes: Set<PodNetwork.PeerRoute>, generation: Int)>(([], 0))
    private let signal: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init(network: PodNetwork, nodeName: String, logger: Logger) {
        self.network = network
        self.nodeName = nodeName
        self.logger = logger
        (signal, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// The routes the nodes call for: every other node with a pod CIDR and an InternalIP.
    static func routes(_ nodes: [Node], except name: String) -> Set<PodNetwork.PeerRoute> {
        Set(nodes.compactMap { node in
            guard node.metadata.name != name, let cidr = node.spec?.podCIDR, !cidr.isEmpty,
                  let ip = node.status?.addresses?.first(where: { $0.type == "InternalIP" })?.address
            else { return nil }
            return PodNetwork.PeerRoute(podCIDR: cidr, hostIP: ip)
        })
    }

    func changed(_ nodes: [Node]) {
        let routes = Self.routes(nodes, except: nodeName)
        let changed = wanted.withLock { state -> Bool in
            guard state.routes != routes || state.generation == 0 else { return false }
            state = (routes, state.generation + 1)
            return true
        }
        if changed { continuation.yield() }
    }

    func run() async {
        for await _ in signal {
            let routes = wanted.withLock { $0.routes }
            do {
                try await network.syncRoutes(routes)
            } catch {
                logger.warning("cannot sync routes to the other minions", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
                continuation.yield()
            }
        }
    }
}
