import NIOCore
import NIOPosix

/// The benchmark's backend: answers each request with as many bytes as the request asks for.
///
/// A request is a 16-byte header (body length, answer length; big-endian UInt64) followed by the
/// body, which is skipped. The answer is a slice of one preallocated buffer: the backend does no
/// per-byte work, so what is measured is the path, not the server.
final class Backend: Sendable {
    let channel: any Channel
    let group: MultiThreadedEventLoopGroup

    var port: Int { channel.localAddress?.port ?? 0 }

    private init(channel: any Channel, group: MultiThreadedEventLoopGroup) {
        self.channel = channel
        self.group = group
    }

    /// Listens on `host`, on event loops of its own (`threads`), apart from the proxy's.
    static func start(host: String, threads: Int, largestAnswer: Int) async throws -> Backend {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        var payload = ByteBufferAllocator().buffer(capacity: largestAnswer)
        payload.writeRepeatingByte(0x61, count: largestAnswer)
        let answers = payload
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(
                minimum: 1024, initial: 16 * 1024, maximum: 256 * 1024))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RequestDecoder()))
                    try channel.pipeline.syncOperations.addHandler(AnswerHandler(payload: answers))
                }
            }
            .bind(host: host, port: 0).get()
        return Backend(channel: channel, group: group)
    }

    func stop() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}

/// Splits the stream into requests; emits each one's answer length.
private struct RequestDecoder: ByteToMessageDecoder {
    typealias InboundOut = Int

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let body = buffer.getInteger(at: buffer.readerIndex, as: UInt64.self),
              let answer = buffer.getInteger(at: buffer.readerIndex + 8, as: UInt64.self) else { return .needMoreData }
        guard body <= 1 << 30, answer <= 1 << 30 else { throw DecodeError.tooLarge }
        guard buffer.readableBytes >= 16 + Int(body) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 16 + Int(body))
        context.fireChannelRead(wrapInboundOut(Int(answer)))
        return .continue
    }

    enum DecodeError: Error { case tooLarge }
}

private final class AnswerHandler: ChannelInboundHandler {
    typealias InboundIn = Int
    typealias OutboundOut = ByteBuffer

    let payload: ByteBuffer

    init(payload: ByteBuffer) { self.payload = payload }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let length = min(unwrapInboundIn(data), payload.readableBytes)
        if let answer = payload.getSlice(at: payload.readerIndex, length: length) {
            context.write(wrapOutboundOut(answer), promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) { context.flush() }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}
