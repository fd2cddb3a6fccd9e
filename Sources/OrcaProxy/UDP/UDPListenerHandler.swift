import NIOCore
import NIOPosix

/// The handler of a UDP service listener: per client address a session, a connected UDP socket of its
/// own to the endpoint chosen for that client, whose replies go back through the listener socket (so
/// they come from the service IP and port, where the client sent to).
///
/// Sessions live on the listener's event loop (no locks); one idle past `sessionTimeout` in either
/// direction is closed by a sweep. A session whose endpoint left the service, or whose socket got
/// an error (an ICMP port unreachable from a dead endpoint), is replaced on the client's next
/// datagram. Datagrams that arrive while a session connects wait in a short queue; beyond it, and
/// for a service without endpoints, they are dropped, as UDP allows.
final class UDPListenerHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    /// One client's session.
    final class Session {
        let client: SocketAddress
        let endpoint: ResolvedEndpoint
        let generation: Int
        var channel: (any Channel)?
        var waiting: [ByteBuffer] = []
        var lastActive: NIODeadline
        var closed = false

        init(client: SocketAddress, endpoint: ResolvedEndpoint, generation: Int, now: NIODeadline) {
            self.client = client
            self.endpoint = endpoint
            self.generation = generation
            self.lastActive = now
        }

        func close() {
            closed = true
            waiting = []
            channel?.close(promise: nil)
        }
    }

    static let maxWaitingDatagrams = 64

    private let balancer: ServiceBalancer
    private let sessionTimeout: TimeAmount
    private let receiveAllocator: FixedSizeRecvByteBufferAllocator
    private var sessions: [SocketAddress: Session] = [:]
    private var sweep: RepeatedTask?

    init(balancer: ServiceBalancer, sessionTimeout: TimeAmount, receiveAllocator: FixedSizeRecvByteBufferAllocator) {
        self.balancer = balancer
        self.sessionTimeout = sessionTimeout
        self.receiveAllocator = receiveAllocator
    }

    /// How many sessions are open (on the listener's event loop only).
    var sessionCount: Int { sessions.count }

    func handlerAdded(context: ChannelHandlerContext) {
        // A session lives at most a third of the timeout too long; no sweep more than 10 times a second.
        let every = TimeAmount.nanoseconds(max(sessionTimeout.nanoseconds / 3, 100_000_000))
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        sweep = loop.scheduleRepeatedTask(initialDelay: every, delay: every) { _ in
            bound.value.expireIdleSessions()
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        closeAll()
    }

    func channelInactive(context: ChannelHandlerContext) {
        closeAll()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let now = NIODeadline.now()
        var session = sessions[envelope.remoteAddress]
        if let existing = session, existing.closed || !stillValid(existing) {
            existing.close()
            sessions[envelope.remoteAddress] = nil
            session = nil
        }
        if session == nil {
            session = open(context: context, client: envelope.remoteAddress, now: now)
        }
        guard let session else { return }
        session.lastActive = now
        if let channel = session.channel {
            channel.writeAndFlush(envelope.data, promise: nil)
        } else if session.waiting.count < Self.maxWaitingDatagrams {
            session.waiting.append(envelope.data)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A listener socket error (a bad datagram, ICMP for a client that left) concerns one
        // datagram; the listener goes on.
    }

    /// Whether the session's endpoint is still one of the service's (checked only after a change).
    private func stillValid(_ session: Session) -> Bool {
        session.generation == balancer.generation || balancer.contains(session.endpoint)
    }

    private func open(context: ChannelHandlerContext, client: SocketAddress, now: NIODeadline) -> Session? {
        let generation = balancer.generation
        let clientIP = client.ipAddress
        guard let endpoint = balancer.candidates(client: clientIP).first else { return nil }
        if balancer.hasAffinity { balancer.connected(client: clientIP, to: endpoint) }
        let session = Session(client: client, endpoint: endpoint, generation: generation, now: now)
        sessions[client] = session
        let listener = context.channel
        // On this event loop, so replies reach the listener without a hop; nothing is read before
        // the session's handler is in place.
        DatagramBootstrap(group: context.eventLoop)
            .channelOption(.recvAllocator, value: receiveAllocator)
            .channelOption(.autoRead, value: false)
            .connect(to: endpoint.address).assumeIsolated().whenComplete { result in
            switch result {
            case .success(let channel):
                guard !session.closed else {
                    channel.close(promise: nil)
                    return
                }
                session.channel = channel
                do {
                    try channel.pipeline.syncOperations.addHandler(
                        UDPSessionHandler(session: session, listener: listener))
                    try channel.syncOptions?.setOption(.autoRead, value: true)
                } catch {
                    self.drop(session)
                    return
                }
                for datagram in session.waiting { channel.write(datagram, promise: nil) }
                session.waiting = []
                channel.flush()
                channel.closeFuture.assumeIsolated().whenComplete { _ in self.drop(session) }
            case .failure:
                self.drop(session)
            }
        }
        return session
    }

    private func drop(_ session: Session) {
        session.close()
        if sessions[session.client] === session { sessions[session.client] = nil }
    }

    private func expireIdleSessions() {
        let deadline = NIODeadline.now() - sessionTimeout
        for session in sessions.values where session.lastActive < deadline {
            drop(session)
        }
    }

    private func closeAll() {
        sweep?.cancel()
        sweep = nil
        for session in sessions.values { session.close() }
        sessions = [:]
    }
}

/// Passes a session socket's replies back to its client through the listener socket.
final class UDPSessionHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let session: UDPListenerHandler.Session
    private let listener: any Channel

    init(session: UDPListenerHandler.Session, listener: any Channel) {
        self.session = session
        self.listener = listener
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        session.lastActive = NIODeadline.now()
        listener.write(AddressedEnvelope(remoteAddress: session.client, data: envelope.data), promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        listener.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Typically ECONNREFUSED: the endpoint's port is closed. The client's next datagram starts
        // a new session (possibly to another endpoint).
        context.close(promise: nil)
    }
}
