import Logging
import NIOCore
import NIOPosix
import OrcaAPI
import Synchronization

/// The cluster DNS server: answers for services from an in-memory table over UDP and TCP on one
/// address and port, and forwards every other name to upstream servers.
///
/// ```
///  pod ──UDP/TCP :53──▶ DNSServer ── *.cluster.local, NAME., NAME.NAMESPACE. ──▶ DNSRecordTable
///                           └──── anything else (UDP, one upstream after another) ──▶ upstreams
/// ```
/// The table starts empty and *unsynced* (in-zone names get SERVFAIL) until the first
/// ``update(services:)``, which, like every later one, replaces it whole. `update` may be called
/// from any thread at any time; queries in flight use the table they started with.
public final class DNSServer: Sendable {
    public struct Configuration: Sendable {
        /// The address to listen on (UDP and TCP), e.g. the minion's bridge gateway.
        public var host: String
        /// 53 for pods; 0 picks a free port (the same one for UDP and TCP).
        public var port: Int
        /// Servers for names outside the cluster, tried in order. Empty: such names get SERVFAIL.
        public var upstreams: [SocketAddress]
        /// How long to wait for one upstream before trying the next. Short, because the client
        /// waits for the sum (glibc and musl give up after 5 s).
        public var forwardTimeout: Duration = .seconds(2)
        /// Forwarded queries awaiting an answer at once; more get SERVFAIL (each holds a socket).
        public var maxConcurrentForwards = 256
        /// TCP connections open at once; more are closed on accept.
        public var maxTCPConnections = 128
        /// A TCP connection silent for this long is closed.
        public var tcpIdleTimeout: Duration = .seconds(10)
        public var records = DNSRecordTable.Configuration()

        /// - Parameter upstreams: by default the host's `/etc/resolv.conf` nameservers, minus
        ///   loopback ones (see ``upstreams(resolvConf:port:)``).
        public init(host: String, port: Int = 53,
                    upstreams: [SocketAddress] = Configuration.upstreams(resolvConfAt: "/etc/resolv.conf")) {
            self.host = host
            self.port = port
            self.upstreams = upstreams
        }
    }

    public let configuration: Configuration
    private let group: any EventLoopGroup
    private let logger: Logger
    private let table: Mutex<DNSRecordTable>
    private let forwardSlots: DNSSlots
    private let connectionSlots: DNSSlots

    public init(configuration: Configuration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                logger: Logger) {
        self.configuration = configuration
        self.group = group
        self.logger = logger
        table = Mutex(.unsynced(configuration: configuration.records))
        forwardSlots = DNSSlots(limit: configuration.maxConcurrentForwards)
        connectionSlots = DNSSlots(limit: configuration.maxTCPConnections)
    }

    /// Replaces the records with those of `services` (every namespace), atomically.
    public func update(services: [Service]) {
        table.withLock { table in
            table = DNSRecordTable(services: services, configuration: configuration.records,
                                   serial: table.serial &+ 1)
        }
    }

    /// The records answered now.
    public var records: DNSRecordTable { table.withLock { $0 } }

    /// Listens, then serves until the calling task is cancelled; `onListening` gets the bound
    /// address first. Throws if binding fails or a socket breaks.
    public func run(onListening: @Sendable (SocketAddress) -> Void = { _ in }) async throws {
        let listeners = try await bind()
        onListening(listeners.address)
        try await serve(listeners)
    }

    /// Listens, runs `body` with the bound address while serving, then stops serving.
    public func withRunning<Result: Sendable>(
        _ body: @escaping @Sendable (SocketAddress) async throws -> Result
    ) async throws -> Result {
        let listeners = try await bind()
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                try await self.serve(listeners)
                return nil
            }
            group.addTask { try await body(listeners.address) }
            defer { group.cancelAll() }
            while let finished = try await group.next() {
                if let result = finished { return result }
                throw DNSServerError.listenerClosed
            }
            throw DNSServerError.listenerClosed
        }
    }

    private struct Listeners: Sendable {
        var udp: NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>
        var tcp: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
        var address: SocketAddress
    }

    /// Binds UDP, then TCP on the port UDP got. With port 0 another process may hold that TCP
    /// port: then both are tried again on a new port.
    private func bind() async throws -> Listeners {
        var attempt = 0
        while true {
            attempt += 1
            let udp = try await bindUDP(port: configuration.port)
            // An async channel must be closed through executeThenClose (NIO traps otherwise).
            guard let address = udp.channel.localAddress, let port = address.port else {
                try? await udp.executeThenClose { _, _ in }
                throw DNSServerError.listenerClosed
            }
            do {
                let tcp = try await bindTCP(port: port)
                return Listeners(udp: udp, tcp: tcp, address: address)
            } catch {
                try? await udp.executeThenClose { _, _ in }
                guard configuration.port == 0, attempt < 10 else { throw error }
            }
        }
    }

    private func bindUDP(port: Int) async throws
        -> NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>> {
        // No SO_REUSEADDR: on Linux it would let a second server bind the same UDP port and
        // silently share its queries.
        try await DatagramBootstrap(group: group)
            .bind(host: configuration.host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DNSDatagramErrorAbsorber())
                    return try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(
                        wrappingChannelSynchronously: channel)
                }
            }
    }

    private func bindTCP(port: Int) async throws -> NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never> {
        let idle = TimeAmount(configuration.tcpIdleTimeout)
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: configuration.host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handlers = channel.pipeline.syncOperations
                    try handlers.addHandler(IdleStateHandler(readTimeout: idle))
                    try handlers.addHandler(DNSIdleConnectionCloser())
                    try handlers.addHandler(ByteToMessageHandler(DNSTCPFrameDecoder()))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// Serves both sockets until cancelled; throws if either stops on its own.
    private func serve(_ listeners: Listeners) async throws {
        logger.info("DNS server listening", metadata: [
            "address": "\(listeners.address)", "upstreams": "\(configuration.upstreams)",
        ])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.serveUDP(listeners.udp) }
            group.addTask { try await self.serveTCP(listeners.tcp) }
            defer { group.cancelAll() }
            _ = try await group.next()
        }
        if !Task.isCancelled { throw DNSServerError.listenerClosed }
    }

    private func serveUDP(
        _ channel: NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>
    ) async throws {
        try await channel.executeThenClose { inbound, outbound in
            try await withThrowingDiscardingTaskGroup { group in
                for try await datagram in inbound {
                    let client = datagram.remoteAddress
                    let query = Array(datagram.data.readableBytesView)
                    switch DNSResponder.respond(to: query, table: records, transport: .udp,
                                                recursionAvailable: !configuration.upstreams.isEmpty) {
                    case .drop:
                        continue
                    case .reply(let bytes):
                        // Answered inline; a failed send is the client's loss, not the server's.
                        let reply = AddressedEnvelope(remoteAddress: client, data: ByteBuffer(bytes: bytes))
                        try? await outbound.write(reply)
                    case .forward(let message):
                        // Only forwarded queries wait, each in its own task.
                        group.addTask {
                            let bytes = await self.forward(query, message, transport: .udp)
                            try? await outbound.write(
                                AddressedEnvelope(remoteAddress: client, data: ByteBuffer(bytes: bytes)))
                        }
                    }
                }
            }
        }
    }

    private func serveTCP(_ channel: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>) async throws {
        try await channel.executeThenClose { connections in
            try await withThrowingDiscardingTaskGroup { group in
                for try await connection in connections {
                    guard connectionSlots.acquire() else {
                        // executeThenClose, not channel.close(): NIO traps on an async channel dropped open.
                        try? await connection.executeThenClose { _, _ in }
                        continue
                    }
                    group.addTask {
                        defer { self.connectionSlots.release() }
                        try? await self.serveConnection(connection)
                    }
                }
            }
        }
    }

    /// Answers one TCP connection's queries in order until the client or the idle timer closes it.
    private func serveConnection(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async throws {
        try await connection.executeThenClose { frames, outbound in
            for try await frame in frames {
                let query = Array(frame.readableBytesView)
                switch DNSResponder.respond(to: query, table: records, transport: .tcp,
                                            recursionAvailable: !configuration.upstreams.isEmpty) {
                case .drop:
                    continue
                case .reply(let bytes):
                    try await outbound.write(DNSTCPFrameDecoder.frame(bytes))
                case .forward(let message):
                    try await outbound.write(DNSTCPFrameDecoder.frame(await forward(query, message, transport: .tcp)))
                }
            }
        }
    }

    /// The upstream answer to `query`, or SERVFAIL when there is none (no upstream, none
    /// answered in time, or too many forwards in flight).
    private func forward(_ query: [UInt8], _ message: DNSMessage, transport: DNSResponder.Transport) async -> [UInt8] {
        let recursion = !configuration.upstreams.isEmpty
        guard recursion, forwardSlots.acquire() else {
            return DNSResponder.failure(to: message, code: .serverFailure, recursionAvailable: recursion)
        }
        defer { forwardSlots.release() }
        let forwarder = DNSForwarder(upstreams: configuration.upstreams,
                                     timeout: .init(configuration.forwardTimeout), group: group)
        if let answer = await forwarder.forward(query, id: message.header.id, transport: transport) {
            return answer
        }
        logger.debug("no upstream answered", metadata: [
            "name": "\(message.questions.first?.name.description ?? "")",
        ])
        return DNSResponder.failure(to: message, code: .serverFailure, recursionAvailable: recursion)
    }
}

public enum DNSServerError: Error, Equatable, Sendable {
    /// A listening socket closed while the server was meant to be serving.
    case listenerClosed
}

/// A counter of things in use, with a limit.
final class DNSSlots: Sendable {
    private let used = Mutex(0)
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    func acquire() -> Bool {
        used.withLock { used in
            guard used < limit else { return false }
            used += 1
            return true
        }
    }

    func release() {
        used.withLock { $0 -= 1 }
    }
}
