import Logging
import NIOCore
import NIOPosix
import OrcaAPI
import OrcaProxy

/// A minimal DNS client and fixtures for the DNS suites: real sockets on loopback only.
enum DNSTest {
    static let logger: Logger = {
        var logger = Logger(label: "orca.dns.test")
        logger.logLevel = .warning
        return logger
    }()

    static let httpPort = ServicePort(name: "http", protocol: .tcp, port: 80)
    static let dnsUDPPort = ServicePort(name: "dns", protocol: .udp, port: 53)

    static func service(_ name: String, namespace: String = "default", ip: String? = "10.0.0.10",
                        ports: [ServicePort] = [ServicePort(port: 80)]) -> Service {
        Service(metadata: ObjectMeta(name: name, namespace: namespace),
                spec: ServiceSpec(ports: ports, selector: ["app": name], clusterIP: ip))
    }

    static func query(_ name: String, _ type: DNSRecordType, id: UInt16 = 0x1234, edns: UInt16? = nil) -> [UInt8] {
        var message = DNSMessage(header: DNSHeader(id: id, recursionDesired: true),
                                 questions: [DNSQuestion(name: DNSName(name), type: type)])
        if let edns { message.additionals = [DNSEDNS(udpPayloadSize: edns).record] }
        return (try? message.encode()) ?? []
    }

    /// A server on 127.0.0.1 and a free port with no upstreams (unless given), already synced
    /// with `services`, for the duration of `body`.
    static func withServer<T: Sendable>(
        services: [Service], upstreams: [SocketAddress] = [], forwardTimeout: Duration = .seconds(2),
        _ body: @escaping @Sendable (DNSServer, SocketAddress) async throws -> T
    ) async throws -> T {
        var configuration = DNSServer.Configuration(host: "127.0.0.1", port: 0, upstreams: upstreams)
        configuration.forwardTimeout = forwardTimeout
        let server = DNSServer(configuration: configuration, logger: logger)
        server.update(services: services)
        return try await server.withRunning { address in try await body(server, address) }
    }

    /// Sends `packet` over UDP and returns the first datagram back, or nil after `timeout`.
    static func udp(_ packet: [UInt8], to server: SocketAddress,
                    timeout: TimeAmount = .seconds(5)) async throws -> [UInt8]? {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(
                        wrappingChannelSynchronously: channel)
                }
            }
        let raw = channel.channel
        let deadline = raw.eventLoop.scheduleTask(in: timeout) { raw.close(promise: nil) }
        defer { deadline.cancel() }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(AddressedEnvelope(remoteAddress: server, data: ByteBuffer(bytes: packet)))
            for try await reply in inbound { return Array(reply.data.readableBytesView) }
            return nil
        }
    }

    /// Sends `packets` over one TCP connection, each behind its length, and returns as many
    /// framed answers.
    static func tcp(_ packets: [[UInt8]], to server: SocketAddress) async throws -> [[UInt8]] {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(to: server) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let raw = channel.channel
        let deadline = raw.eventLoop.scheduleTask(in: .seconds(10)) { raw.close(promise: nil) }
        defer { deadline.cancel() }
        return try await channel.executeThenClose { inbound, outbound in
            for packet in packets { try await outbound.write(framed(packet)) }
            var received = ByteBuffer()
            var answers: [[UInt8]] = []
            for try await chunk in inbound {
                var chunk = chunk
                received.writeBuffer(&chunk)
                while let length = received.getInteger(at: received.readerIndex, as: UInt16.self),
                      received.readableBytes >= 2 + Int(length) {
                    received.moveReaderIndex(forwardBy: 2)
                    answers.append(received.readBytes(length: Int(length)) ?? [])
                }
                if answers.count >= packets.count { break }
            }
            return answers
        }
    }

    /// `message` behind its two-octet length, as TCP carries it.
    static func framed(_ message: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt16(message.count))
        buffer.writeBytes(message)
        return buffer
    }

    /// `name`'s answer over UDP, parsed.
    static func ask(_ name: String, _ type: DNSRecordType, at server: SocketAddress,
                    timeout: TimeAmount = .seconds(5)) async throws -> DNSMessage? {
        guard let bytes = try await udp(query(name, type), to: server, timeout: timeout) else { return nil }
        return try DNSMessage(bytes: bytes)
    }

    /// The IPv4 addresses among `message`'s answers, dotted.
    static func addresses(_ message: DNSMessage?) -> [String] {
        (message?.answers ?? []).compactMap { record in
            guard case .a(let octets) = record.data else { return nil }
            return octets.map(String.init).joined(separator: ".")
        }
    }
}
