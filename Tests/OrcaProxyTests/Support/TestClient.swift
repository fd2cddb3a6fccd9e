import NIOCore
import NIOPosix

/// Clients for proxy tests, over NIO's async channels (no blocking calls on the test's threads).
enum TestClient {
    /// Connects to `host:port` (from `source` when given), writes `bytes`, half-closes, and returns
    /// everything read until the server closes.
    static func exchange(_ host: String, _ port: Int, _ bytes: [UInt8], from source: String? = nil) async throws
        -> [UInt8] {
        let connection = try await connect(host, port, from: source)
        return try await connection.executeThenClose { inbound, outbound in
            if !bytes.isEmpty { try await outbound.write(ByteBuffer(bytes: bytes)) }
            outbound.finish()
            var received: [UInt8] = []
            for try await buffer in inbound { received += buffer.readableBytesView }
            return received
        }
    }

    /// `exchange` with text.
    static func request(_ host: String, _ port: Int, _ text: String = "hi\n", from source: String? = nil)
        async throws -> String {
        String(decoding: try await exchange(host, port, Array(text.utf8), from: source), as: UTF8.self)
    }

    static func connect(_ host: String, _ port: Int, from source: String? = nil) async throws
        -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .channelOption(.allowRemoteHalfClosure, value: true)
        if let source { bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: source, port: 0)) }
        return try await bootstrap.connect(host: host, port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                    wrappingChannelSynchronously: channel,
                    configuration: .init(isOutboundHalfClosureEnabled: true))
            }
        }
    }

    /// Sends `text` from a UDP socket of its own (bound on `source`) to `host:port`, `count` times,
    /// and returns each answer's text and the address it came from.
    static func udp(_ host: String, _ port: Int, _ text: String = "hi", count: Int = 1,
                    from source: String = "127.0.0.1") async throws -> [(text: String, from: SocketAddress)] {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: source, port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(
                        wrappingChannelSynchronously: channel)
                }
            }
        let target = try SocketAddress(ipAddress: host, port: port)
        return try await channel.executeThenClose { inbound, outbound in
            var answers: [(text: String, from: SocketAddress)] = []
            var iterator = inbound.makeAsyncIterator()
            for _ in 0..<count {
                try await outbound.write(AddressedEnvelope(remoteAddress: target, data: ByteBuffer(string: text)))
                guard let reply = try await iterator.next() else { break }
                answers.append((String(buffer: reply.data), reply.remoteAddress))
            }
            return answers
        }
    }
}

/// Runs `body` with a deadline: a lost datagram or a stuck connection fails the test instead of
/// hanging it.
func withTimeout<T: Sendable>(_ seconds: Int = 10, _ what: String,
                              _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        guard let first = try await group.next(), let value = first else {
            group.cancelAll()
            throw TestTimeout(what: what)
        }
        group.cancelAll()
        return value
    }
}

struct TestTimeout: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}
