import NIOCore
import NIOPosix
import OrcaProxy
import Synchronization

/// An upstream DNS server on 127.0.0.1 for forwarding tests: it answers every question with an
/// A record of `address`; or, when silent, reads queries and never answers; or, when it
/// truncates, answers over UDP with the TC bit and no records, and in full over TCP on the
/// same port. It counts the queries it received.
final class DNSFakeUpstream: Sendable {
    enum Behaviour: Sendable {
        case answer
        case silent
        case truncateUDP
    }

    let behaviour: Behaviour
    let address: [UInt8]
    private let counts = Mutex((udp: 0, tcp: 0))

    init(_ behaviour: Behaviour = .answer, address: [UInt8] = [192, 0, 2, 1]) {
        self.behaviour = behaviour
        self.address = address
    }

    var queries: Int { counts.withLock { $0.udp + $0.tcp } }
    var tcpQueries: Int { counts.withLock { $0.tcp } }

    /// Runs the upstream for the duration of `body`, which gets its address.
    func withRunning<T: Sendable>(_ body: @escaping @Sendable (SocketAddress) async throws -> T) async throws -> T {
        let (udp, tcp, local) = try await bind()
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await self.serveUDP(udp)
                return nil
            }
            group.addTask {
                try await self.serveTCP(tcp)
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

    private typealias UDPChannel = NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>
    private typealias TCPListener = NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>

    /// UDP on a free port, then TCP on the same port; again on another port if TCP's is taken.
    private func bind() async throws -> (UDPChannel, TCPListener, SocketAddress) {
        let group = MultiThreadedEventLoopGroup.singleton
        var attempt = 0
        while true {
            attempt += 1
            let udp = try await DatagramBootstrap(group: group).bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture { try UDPChannel(wrappingChannelSynchronously: channel) }
            }
            do {
                let local = try DNSTest.requireAddress(udp.channel.localAddress)
                let tcp = try await ServerBootstrap(group: group).bind(to: local) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
                return (udp, tcp, local)
            } catch {
                // Closed the way NIO requires of an async channel.
                try? await udp.executeThenClose { _, _ in }
                if attempt >= 10 { throw error }
            }
        }
    }

    private func serveUDP(
        _ channel: NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>
    ) async throws {
        try await channel.executeThenClose { inbound, outbound in
            for try await datagram in inbound {
                counts.withLock { $0.udp += 1 }
                guard behaviour != .silent,
                      let answer = answer(Array(datagram.data.readableBytesView), truncated: behaviour == .truncateUDP)
                else { continue }
                try await outbound.write(AddressedEnvelope(remoteAddress: datagram.remoteAddress,
                                                           data: ByteBuffer(bytes: answer)))
            }
        }
    }

    /// Answers one query per connection: all the forwarder sends.
    private func serveTCP(_ channel: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>) async throws {
        try await channel.executeThenClose { connections in
            for try await connection in connections {
                try? await connection.executeThenClose { inbound, outbound in
                    var received = ByteBuffer()
                    for try await chunk in inbound {
                        var chunk = chunk
                        received.writeBuffer(&chunk)
                        guard let length = received.getInteger(at: received.readerIndex, as: UInt16.self),
                              received.readableBytes >= 2 + Int(length) else { continue }
                        received.moveReaderIndex(forwardBy: 2)
                        counts.withLock { $0.tcp += 1 }
                        guard let answer = answer(received.readBytes(length: Int(length)) ?? [], truncated: false)
                        else { return }
                        var framed = ByteBuffer()
                        framed.writeInteger(UInt16(answer.count))
                        framed.writeBytes(answer)
                        try await outbound.write(framed)
                        return
                    }
                }
            }
        }
    }

    private func answer(_ bytes: [UInt8], truncated: Bool) -> [UInt8]? {
        guard let query = try? DNSMessage(bytes: bytes), let question = query.questions.first else { return nil }
        var reply = query
        reply.header.isResponse = true
        reply.header.recursionAvailable = true
        reply.header.truncated = truncated
        reply.additionals = []
        if !truncated {
            reply.answers = [DNSResourceRecord(name: question.name, type: .a, ttl: 300, data: .a(address))]
        }
        return try? reply.encode()
    }
}

extension DNSTest {
    /// The address, or an error saying the socket had none.
    static func requireAddress(_ address: SocketAddress?) throws -> SocketAddress {
        guard let address else { throw DNSServerError.listenerClosed }
        return address
    }
}
