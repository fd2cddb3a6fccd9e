import NIOCore
import NIOPosix

/// A backend server on a loopback address for proxy tests: over TCP it either answers its name to
/// whatever it reads (once, then closes when the client half-closes) or echoes every byte and, at the
/// client's end of input, writes a trailer and closes; over UDP it answers each datagram with its
/// name, to the sender.
final class TestBackend: Sendable {
    enum Mode: Sendable {
        /// Replies `name\n` to the first bytes of each connection or to each datagram.
        case name(String)
        /// Echoes bytes; at end of input writes `trailer` and closes.
        case echo(trailer: String)
    }

    let host: String
    let port: Int
    let channel: any Channel

    private init(host: String, port: Int, channel: any Channel) {
        self.host = host
        self.port = port
        self.channel = channel
    }

    var endpoint: (ip: String, port: Int) { (host, port) }

    static func tcp(_ host: String, _ mode: Mode, port: Int = 0) async throws -> TestBackend {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    switch mode {
                    case .name(let name): try channel.pipeline.syncOperations.addHandler(NameHandler(name: name))
                    case .echo(let trailer):
                        try channel.pipeline.syncOperations.addHandler(EchoHandler(trailer: trailer))
                    }
                }
            }
            .bind(host: host, port: port).get()
        return TestBackend(host: host, port: channel.localAddress?.port ?? 0, channel: channel)
    }

    static func udp(_ host: String, name: String) async throws -> TestBackend {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(UDPNameHandler(name: name))
                }
            }
            .bind(host: host, port: 0).get()
        return TestBackend(host: host, port: channel.localAddress?.port ?? 0, channel: channel)
    }

    func close() async {
        try? await channel.close()
    }
}

private final class NameHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let name: String
    var answered = false

    init(name: String) { self.name = name }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else { return }
        answered = true
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: name + "\n")), promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event { context.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}

private final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let trailer: String

    init(trailer: String) { self.trailer = trailer }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) { context.flush() }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: trailer))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}

private final class UDPNameHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>
    let name: String

    init(name: String) { self.name = name }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let reply = AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: ByteBuffer(string: name))
        context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
    }
}
