import NIOCore
import NIOPosix

/// Sends a query for a name outside the cluster to the upstream servers, one after another,
/// and returns the first answer.
///
/// Each attempt uses a fresh UDP socket on a random port and accepts only a response with the
/// query's id from the address it asked, which is what keeps forged answers out (RFC 5452).
/// The query goes unchanged, EDNS0 size included, so the upstream sizes its answer for the
/// client; a truncated upstream answer is passed on as it is.
struct DNSForwarder: Sendable {
    let upstreams: [SocketAddress]
    let timeout: TimeAmount
    let group: any EventLoopGroup

    /// The first upstream answer, or nil when every upstream stayed silent for `timeout`.
    func forward(_ query: [UInt8], id: UInt16) async -> [UInt8]? {
        for upstream in upstreams {
            if Task.isCancelled { return nil }
            if let answer = try? await ask(upstream, query, id: id) { return answer }
        }
        return nil
    }

    private func ask(_ upstream: SocketAddress, _ query: [UInt8], id: UInt16) async throws -> [UInt8]? {
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
                guard let header = DNSMessage.header(of: answer), header.isResponse, header.id == id else { continue }
                return answer
            }
            return nil
        }
    }
}
