import NIOCore
import Synchronization

/// A bound listener of the proxy: its socket, what it balances over, and (TCP) its live client
/// connections, kept so a shutdown can close them.
final class ProxyListener: Sendable {
    let key: ProxyRule.Key
    let channel: any Channel
    let balancer: ServiceBalancer
    let connections: ConnectionSet

    init(key: ProxyRule.Key, channel: any Channel, balancer: ServiceBalancer, connections: ConnectionSet) {
        self.key = key
        self.channel = channel
        self.balancer = balancer
        self.connections = connections
    }

    /// The open UDP sessions (0 for TCP).
    func udpSessionCount() async -> Int {
        guard key.protocol == .udp else { return 0 }
        let channel = channel
        return (try? await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: UDPListenerHandler.self).sessionCount
        }.get()) ?? 0
    }

    /// Stops accepting (TCP) or closes the socket and its sessions (UDP). With `connections`, also
    /// closes established TCP connections; without, they run to their end.
    func close(connections closeConnections: Bool) async {
        try? await channel.close()
        if closeConnections { await connections.closeAll() }
    }
}

/// The open client channels of one TCP listener.
final class ConnectionSet: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    var count: Int { channels.withLock { $0.count } }

    /// Tracks `channel` until it closes.
    func add(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        channels.withLock { $0[id] = channel }
        channel.closeFuture.whenComplete { [self] _ in
            _ = channels.withLock { $0.removeValue(forKey: id) }
        }
    }

    func closeAll() async {
        let open = channels.withLock { Array($0.values) }
        for channel in open { try? await channel.close() }
    }
}
