import NIOCore
import NIOPosix

extension ServiceProxy {
    /// Starts binding the listener of `rule`; the future holds the bound channel.
    nonisolated func bind(_ rule: ProxyRule, balancer: ServiceBalancer,
                          connections: ConnectionSet) -> EventLoopFuture<any Channel> {
        let loop = group.next()
        guard (1...65535).contains(rule.port),
              let address = try? SocketAddress(ipAddress: rule.serviceIP, port: rule.port) else {
            return loop.makeFailedFuture(ServiceProxyError.invalidAddress("\(rule.serviceIP):\(rule.port)"))
        }
        switch rule.protocol {
        case .tcp: return bindTCP(address, balancer: balancer, connections: connections)
        case .udp: return bindUDP(address, balancer: balancer)
        }
    }

    private nonisolated var connectionOptions: ConnectionOptions {
        ConnectionOptions(
            connectTimeout: TimeAmount(configuration.connectTimeout),
            receiveAllocator: AdaptiveRecvByteBufferAllocator(
                minimum: 1024, initial: 16 * 1024, maximum: max(configuration.maxReadSize, 16 * 1024)),
            writeBufferWaterMark: .init(low: configuration.lowWaterMark,
                                        high: max(configuration.highWaterMark, configuration.lowWaterMark)))
    }

    private nonisolated func bindTCP(_ address: SocketAddress, balancer: ServiceBalancer,
                                     connections: ConnectionSet) -> EventLoopFuture<any Channel> {
        let options = connectionOptions
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: configuration.backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            // The client is read only once its backend is connected (TCPFrontendHandler).
            .childChannelOption(.autoRead, value: false)
            .childChannelOption(.recvAllocator, value: options.receiveAllocator)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelOption(.writeBufferWaterMark, value: options.writeBufferWaterMark)
            .childChannelInitializer { channel in
                connections.add(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        TCPFrontendHandler(balancer: balancer, options: options))
                }
            }
            .bind(to: address)
    }

    private nonisolated func bindUDP(_ address: SocketAddress, balancer: ServiceBalancer)
        -> EventLoopFuture<any Channel> {
        // A datagram larger than the buffer would be cut; 64 KiB holds any UDP payload.
        let allocator = FixedSizeRecvByteBufferAllocator(capacity: 65536)
        let timeout = TimeAmount(configuration.udpSessionTimeout)
        return DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.recvAllocator, value: allocator)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        UDPListenerHandler(balancer: balancer, sessionTimeout: timeout, receiveAllocator: allocator))
                }
            }
            .bind(to: address)
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
