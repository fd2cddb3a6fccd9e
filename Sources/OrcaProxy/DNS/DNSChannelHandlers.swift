import NIOCore

/// Splits a TCP stream into DNS messages, each behind a two-octet length (RFC 1035 4.2.2).
struct DNSTCPFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
              buffer.readableBytes >= 2 + Int(length)
        else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 2)
        guard let frame = buffer.readSlice(length: Int(length)) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer,
                             seenEOF: Bool) throws -> DecodingState {
        // A partial message at the end of the stream is dropped: there is no one to answer.
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}

extension DNSTCPFrameDecoder {
    /// `message` behind its length, ready to write to a TCP connection.
    static func frame(_ message: [UInt8]) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: message.count + 2)
        buffer.writeInteger(UInt16(clamping: message.count))
        buffer.writeBytes(message.prefix(Int(UInt16.max)))
        return buffer
    }
}

/// Closes a TCP connection that sent nothing for the idle period (the ``IdleStateHandler``
/// before it says when), so idle clients cannot pile up connections.
final class DNSIdleConnectionCloser: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

/// Stops errors that leave a UDP socket usable (an ICMP error reported on a later read, a
/// datagram the kernel refused) before they reach the async channel, which would end its
/// stream and so the server. Errors that break the socket close it, and the server notices.
final class DNSDatagramErrorAbsorber: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}
