import NIOCore
import NIOPosix
import Synchronization
import Testing
@testable import OrcaProxy

/// The UDP path on loopback: sessions per client address, answers from the service address.
@Suite(.timeLimit(.minutes(1))) struct ServiceProxyUDPTests {
    @Test func aUDPServiceAnswersFromTheServiceAddressAndBalancesClients() async throws {
        let a = try await TestBackend.udp("127.0.0.3", name: "a")
        let b = try await TestBackend.udp("127.0.0.4", name: "b")
        try await withBackends([a, b]) {
            try await withProxy { proxy throws in
                let result = await proxy.apply([.test("dns", "127.77.20.1", 20020, [a, b], protocol: .udp)])
                #expect(result.opened == [ProxyRule.Key(serviceIP: "127.77.20.1", port: 20020, protocol: .udp)])
                var firstAnswers: [String] = []
                for _ in 0..<4 {
                    // Each client socket is a session of its own; its three datagrams stay on one endpoint.
                    let answers = try await withTimeout(10, "UDP answers through the proxy") {
                        try await TestClient.udp("127.77.20.1", 20020, count: 3)
                    }
                    #expect(answers.count == 3)
                    #expect(Set(answers.map(\.text)).count == 1)
                    for answer in answers {
                        #expect(answer.from.ipAddress == "127.77.20.1")
                        #expect(answer.from.port == 20020)
                    }
                    firstAnswers.append(answers.first?.text ?? "")
                }
                #expect(tally(firstAnswers) == ["a": 2, "b": 2])
            }
        }
    }

    @Test func udpClientIPAffinity() async throws {
        let a = try await TestBackend.udp("127.0.0.3", name: "a")
        let b = try await TestBackend.udp("127.0.0.4", name: "b")
        try await withBackends([a, b]) {
            try await withProxy { proxy throws in
                await proxy.apply([.test("dns", "127.77.21.1", 20021, [a, b], protocol: .udp,
                                         affinity: .clientIP(timeout: .seconds(60)))])
                var answers: [String] = []
                for _ in 0..<4 {
                    // New source ports every time, the same source IP.
                    let answer = try await withTimeout(10, "a UDP answer") {
                        try await TestClient.udp("127.77.21.1", 20021, from: "127.0.0.7")
                    }
                    answers.append(answer.first?.text ?? "")
                }
                #expect(answers.count == 4)
                #expect(Set(answers).count == 1)
            }
        }
    }

    @Test func udpSessionsMoveWhenTheirEndpointLeaves() async throws {
        let a = try await TestBackend.udp("127.0.0.3", name: "a")
        let b = try await TestBackend.udp("127.0.0.4", name: "b")
        try await withBackends([a, b]) {
            try await withProxy { proxy throws in
                await proxy.apply([.test("dns", "127.77.22.1", 20022, [a], protocol: .udp)])
                let channel = try await UDPTestSocket.open()
                try await channel.send("127.77.22.1", 20022)
                #expect(try await channel.receive() == "a")
                await proxy.apply([.test("dns", "127.77.22.1", 20022, [b], protocol: .udp)])
                // The same client (same session key) now lands on b.
                try await channel.send("127.77.22.1", 20022)
                #expect(try await channel.receive() == "b")
                await channel.close()
            }
        }
    }

    @Test func idleUDPSessionsExpire() async throws {
        let a = try await TestBackend.udp("127.0.0.3", name: "a")
        try await withBackends([a]) {
            var configuration = ServiceProxy.Configuration()
            // Long enough that the session is surely still there when counted, even on a loaded machine.
            configuration.udpSessionTimeout = .seconds(3)
            try await withProxy(configuration: configuration) { proxy throws in
                await proxy.apply([.test("dns", "127.77.23.1", 20023, [a], protocol: .udp)])
                let answers = try await withTimeout(10, "a UDP answer") {
                    try await TestClient.udp("127.77.23.1", 20023)
                }
                #expect(answers.first?.text == "a")
                #expect(await proxy.udpSessionCount == 1)
                try await waitUntil("the idle session expires") { await proxy.udpSessionCount == 0 }
            }
        }
    }
}

/// One UDP socket kept across several sends (the same client address every time).
final class UDPTestSocket: Sendable {
    let channel: any Channel
    let answers: Answers

    /// What came back, in order, and how many of them `receive` returned.
    final class Answers: Sendable {
        let texts = Mutex<[String]>([])
        let taken = Mutex(0)
    }

    private init(channel: any Channel, answers: Answers) {
        self.channel = channel
        self.answers = answers
    }

    static func open() async throws -> UDPTestSocket {
        let answers = Answers()
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(answers: answers))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return UDPTestSocket(channel: channel, answers: answers)
    }

    func send(_ host: String, _ port: Int, _ text: String = "hi") async throws {
        try await channel.writeAndFlush(AddressedEnvelope(
            remoteAddress: try SocketAddress(ipAddress: host, port: port), data: ByteBuffer(string: text)))
    }

    /// The next answer not yet returned.
    func receive() async throws -> String {
        let next = answers.taken.withLock { $0 }
        try await waitUntil("a UDP answer") { answers.texts.withLock { $0.count > next } }
        answers.taken.withLock { $0 = next + 1 }
        return answers.texts.withLock { $0[next] }
    }

    func close() async {
        try? await channel.close()
    }

    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let answers: Answers

        init(answers: Answers) { self.answers = answers }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let text = String(buffer: unwrapInboundIn(data).data)
            answers.texts.withLock { $0.append(text) }
        }
    }
}
