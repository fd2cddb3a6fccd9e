import NIOCore
import NIOPosix

/// Sends a query for a name outside the cluster to the upstream servers, one after another,
/// and returns the first answer.
///
/// Each attempt uses a fresh UDP socket on a random port and accepts only a response with the
/// query's id from the address it asked, which is what keeps forged answers out (RFC 5452).
/// The query goes unchanged, EDNS0 size included, so the upstream sizes its answer for the
/// client. A truncated UDP answer is passed on as it is to a UDP client (it will retry over
/// TCP itself); for a TCP client the same upstream is asked again over TCP.
struct DNSForwarder: Sendable {
    let upstreams: [SocketAddress]
    let timeout: TimeAmount
    let group: any EventLoopGroup

    /// The first upstream answer, or nil when every upstream stayed silent for `timeout`.
    func forward(_ query: [UInt8], id: UInt16, transport: DNSResponder.Transport) async -> [UInt8]? {
        for upstream in upstreams {
            if Task.isCancelled { return nil }
            guard let answer = try? await askUDP(upstream, query, id: id) else { continue }
            if transport == .tcp, DNSMessage.header(of: answer)?.truncated == true,
               let whole = try? await askTCP(upstream, query, id: id) {
                return whole
            }
            return answer
        }
        return nil
    }

    private func askUDP(_ upstream: SocketAddress, _ query: [UInt8], id: UInt16) async throws -> [UInt8]? {
        let anyHost = upstream.protocol == .inet6 ? "::" : "0.0.0.0"
        let channel = try await DatagramBootstrap(group: group).bind(host: anyHost, port: 0) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(
                    wrappingChannelSynchronously: channel)
            }
        }
        // Closing the socket at the deadline ends the wait for an answer below.
        let raw = channel.channel
        let deadline = raw.eventLoop.scheduleTask(in: timeout) { raw.close(promise: nil) }
        defer { deadline.cancel() }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(AddressedEnvelope(remoteAddress: upstream, data: ByteBuffer(bytes: query)))
            for try await envelope in inbound where envelope.remoteAddress == upstream {
                let answer = Array(envelope.data.readableBytesView)
                if Self.answers(answer, id: id) { return answer }
            }
            return nil
        }
    }

    private func askTCP(_ upstream: SocketAddress, _ query: [UInt8], id: UInt16) async throws -> [UInt8]? {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .connect(to: upstream) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(DNSTCPFrameDecoder()))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let raw = channel.channel
        let deadline = raw.eventLoop.scheduleTask(in: timeout) { raw.close(promise: nil) }
        defer { deadline.cancel() }
        return try await channel.executeThenClose { frames, outbound in
            try await outbound.write(DNSTCPFrameDecoder.frame(query))
            for try await frame in frames {
                let answer = Array(frame.readableBytesView)
                if Self.answers(answer, id: id) { return answer }
            }
            return nil
        }
    }

    /// Whether `bytes` are a response with the query's id.
    private static func answers(_ bytes: [UInt8], id: UInt16) -> Bool {
        guard let header = DNSMessage.header(of: bytes) else { return false }
        return header.isResponse && header.id == id
    }
}
