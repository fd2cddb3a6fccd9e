import NIOCore
import NIOPosix

/// The first handler of an accepted client connection: picks an endpoint, connects to it on the same
/// event loop (a refused or timed-out connect moves on to the next endpoint), then glues the two
/// channels together with a ``GlueHandler`` pair and removes itself.
///
/// The client channel starts with `autoRead` off, so the client is normally not read before there
/// is a backend to write to; gluing turns it on for both sides. NIO still reads everything up to an
/// end of input it is told of (a client that sends and half-closes at once): that is kept here and
/// handed to the backend first.
final class TCPFrontendHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let balancer: ServiceBalancer
    private let options: ConnectionOptions
    private var closed = false
    private var early: [ByteBuffer] = []
    private var earlyEOF = false

    init(balancer: ServiceBalancer, options: ConnectionOptions) {
        self.balancer = balancer
        self.options = options
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        let client = context.channel.remoteAddress?.ipAddress
        let candidates = balancer.candidates(client: client)
        guard !candidates.isEmpty else {
            // No endpoints: refuse. A reset (linger 0) tells the client at once, as a refused
            // connect would, rather than a clean end of stream that looks like an empty answer.
            guard let socket = context.channel as? any SocketOptionProvider else {
                context.close(promise: nil)
                return
            }
            socket.setSoLinger(linger(l_onoff: 1, l_linger: 0)).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
            return
        }
        connect(context: context, client: client, candidates: candidates, index: 0)
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        early.append(unwrapInboundIn(data))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            earlyEOF = true
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // An error before the backend is connected (a reset from the client): give up on it.
        closed = true
        context.close(promise: nil)
    }

    private func connect(context: ChannelHandlerContext, client: String?, candidates: [ResolvedEndpoint], index: Int) {
        guard index < candidates.count else {
            // Every endpoint refused or timed out.
            context.close(promise: nil)
            return
        }
        let endpoint = candidates[index]
        let connecting = ClientBootstrap(group: context.eventLoop)
            .connectTimeout(options.connectTimeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelOption(.allowRemoteHalfClosure, value: true)
            // Nothing is read from the backend before the glue is in place.
            .channelOption(.autoRead, value: false)
            .channelOption(.recvAllocator, value: options.receiveAllocator)
            .channelOption(.maxMessagesPerRead, value: 16)
            .channelOption(.writeBufferWaterMark, value: options.writeBufferWaterMark)
            .connect(to: endpoint.address)
        // The bootstrap uses this channel's event loop, so its future completes here.
        connecting.assumeIsolated().whenComplete { result in
            switch result {
            case .success(let backend):
                guard !self.closed else {
                    backend.close(promise: nil)
                    return
                }
                if self.balancer.hasAffinity { self.balancer.connected(client: client, to: endpoint) }
                self.glue(context: context, backend: backend)
            case .failure:
                guard !self.closed else { return }
                self.connect(context: context, client: client, candidates: candidates, index: index + 1)
            }
        }
    }

    private func glue(context: ChannelHandlerContext, backend: any Channel) {
        let (clientSide, backendSide) = GlueHandler.matchedPair()
        do {
            try backend.pipeline.syncOperations.addHandler(backendSide)
            try context.pipeline.syncOperations.addHandler(clientSide)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            if !early.isEmpty {
                for data in early { backend.write(data, promise: nil) }
                early = []
                backend.flush()
            }
            if earlyEOF { backend.close(mode: .output, promise: nil) }
            try backend.syncOptions?.setOption(.autoRead, value: true)
            try context.channel.syncOptions?.setOption(.autoRead, value: true)
        } catch {
            backend.close(promise: nil)
            context.close(promise: nil)
        }
    }
}

/// Socket settings of the proxy's TCP connections (both sides).
struct ConnectionOptions: Sendable {
    var connectTimeout: TimeAmount
    var receiveAllocator: AdaptiveRecvByteBufferAllocator
    var writeBufferWaterMark: ChannelOptions.Types.WriteBufferWaterMark
}
