import NIOCore
import NIOPosix
import OrcaProxy
import Synchronization

/// An upstream DNS server on 127.0.0.1 for forwarding tests: it answers every A question with
/// `address`, or, when silent, reads queries and never answers. It counts what it received.
final class DNSFakeUpstream: Sendable {
    let silent: Bool
    let address: [UInt8]
    private let received = Mutex(0)

    init(silent: Bool = false, address: [UInt8] = [192, 0, 2, 1]) {
        self.silent = silent
        self.address = address
    }

    var queries: Int { received.withLock { $0 } }

    /// Runs the upstream for the duration of `body`, which gets its address.
    func withRunning<T: Sendable>(_ body: @escaping @Sendable (SocketAddress) async throws -> T) async throws -> T {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(
                        wrappingChannelSynchronously: channel)
                }
            }
        let local = try requireAddress(channel.channel.localAddress)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await channel.executeThenClose { inbound, outbound in
                    for try await datagram in inbound {
                        self.received.withLock { $0 += 1 }
                        guard !self.silent, let answer = self.answer(Array(datagram.data.readableBytesView)) else {
                            continue
                        }
                        try await outbound.write(AddressedEnvelope(remoteAddress: datagram.remoteAddress,
                                                                   data: ByteBuffer(bytes: answer)))
                    }
                }
                return nil
            }
            group.addTask { try await body(local) }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw CancellationError()
        }
    }

    private func answer(_ bytes: [UInt8]) -> [UInt8]? {
        guard let query = try? DNSMessage(bytes: bytes), let question = query.questions.first else { return nil }
        var reply = query
        reply.header.isResponse = true
        reply.header.recursionAvailable = true
        reply.additionals = []
        reply.answers = [DNSResourceRecord(name: question.name, type: .a, ttl: 300, data: .a(address))]
        return try? reply.encode()
    }
}

/// The address, or an error saying the socket had none.
func requireAddress(_ address: SocketAddress?) throws -> SocketAddress {
    guard let address else { throw DNSServerError.listenerClosed }
    return address
}
