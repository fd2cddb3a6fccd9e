import OrcaAPI
import OrcaProxy
import Testing

@Suite("DNS responder")
struct DNSResponderTests {
    let table = DNSRecordTable(services: [
        DNSTest.service("web", ip: "10.0.0.7", ports: (1...60).map { ServicePort(name: "p\($0)", port: 8000 + $0) }),
    ])

    func respond(_ bytes: [UInt8], _ transport: DNSResponder.Transport = .udp) throws -> DNSMessage? {
        guard case .reply(let reply) = DNSResponder.respond(to: bytes, table: table, transport: transport,
                                                            recursionAvailable: true)
        else { return nil }
        return try DNSMessage(bytes: reply)
    }

    @Test func answersWithTheQueryIdQuestionAndFlags() throws {
        let reply = try #require(try respond(DNSTest.query("web.default.svc.cluster.local", .a, id: 777)))
        #expect(reply.header.id == 777)
        #expect(reply.header.isResponse && reply.header.authoritative && reply.header.recursionDesired)
        #expect(reply.header.recursionAvailable)
        #expect(reply.questions.first?.name == DNSName("web.default.svc.cluster.local"))
        #expect(DNSTest.addresses(reply) == ["10.0.0.7"])
    }

    @Test func answersMalformedQueriesWithFORMERR() throws {
        var bytes = DNSTest.query("web.default.svc.cluster.local", .a, id: 99)
        bytes.removeLast(3)
        let reply = try #require(try respond(bytes))
        #expect(reply.header.id == 99)
        #expect(reply.responseCode == .formatError)
        #expect(reply.questions.isEmpty)

        // Two questions in one query.
        var two = try DNSMessage(bytes: DNSTest.query("web.default.svc.cluster.local", .a))
        two.questions.append(two.questions[0])
        #expect(try respond(try two.encode())?.responseCode == .formatError)
    }

    @Test func dropsResponsesAndRunts() throws {
        var response = try DNSMessage(bytes: DNSTest.query("web.default.svc.cluster.local", .a))
        response.header.isResponse = true
        #expect(DNSResponder.respond(to: try response.encode(), table: table, transport: .udp,
                                     recursionAvailable: true) == .drop)
        #expect(DNSResponder.respond(to: [1, 2, 3], table: table, transport: .udp, recursionAvailable: true) == .drop)
    }

    @Test func answersOtherOpcodesWithNOTIMP() throws {
        var update = try DNSMessage(bytes: DNSTest.query("web.default.svc.cluster.local", .a))
        update.header.opcode = 5
        #expect(try respond(try update.encode())?.responseCode == .notImplemented)
    }

    @Test func truncatesOver512BytesOnUDPAndNotOnTCP() throws {
        let srv = DNSTest.query("web.default.svc.cluster.local", .srv)
        let udp = try #require(try respond(srv))
        #expect(udp.header.truncated)
        #expect(udp.answers.isEmpty)
        let tcp = try #require(try respond(srv, .tcp))
        #expect(!tcp.header.truncated)
        #expect(tcp.answers.count == 60)
        #expect(tcp.additionals.count == 1)
    }

    @Test func honoursTheEDNS0SizeUpTo1232() throws {
        // Sixty SRV records take about 2 KB: more than 1232, so still truncated...
        let big = try #require(try respond(DNSTest.query("web.default.svc.cluster.local", .srv, edns: 4096)))
        #expect(big.header.truncated)
        #expect(big.edns?.udpPayloadSize == 1232)
        // ...while a 1232-byte budget takes what 512 could not.
        let small = DNSRecordTable(services: [
            DNSTest.service("web", ip: "10.0.0.7",
                            ports: (1...20).map { ServicePort(name: "p\($0)", port: 8000 + $0) }),
        ])
        let query = DNSTest.query("web.default.svc.cluster.local", .srv, edns: 1232)
        guard case .reply(let bytes) = DNSResponder.respond(to: query, table: small, transport: .udp,
                                                            recursionAvailable: true)
        else {
            Issue.record("no reply")
            return
        }
        #expect(bytes.count > 512 && bytes.count <= 1232)
        let plain = DNSTest.query("web.default.svc.cluster.local", .srv)
        guard case .reply(let plainBytes) = DNSResponder.respond(to: plain, table: small, transport: .udp,
                                                                 recursionAvailable: true)
        else {
            Issue.record("no reply")
            return
        }
        #expect(try DNSMessage(bytes: plainBytes).header.truncated)
        #expect(try DNSMessage(bytes: bytes).answers.count == 20)
    }

    @Test func answersUnknownEDNSVersionsWithBADVERS() throws {
        var query = try DNSMessage(bytes: DNSTest.query("web.default.svc.cluster.local", .a))
        query.additionals = [DNSEDNS(udpPayloadSize: 1232, version: 1).record]
        let reply = try #require(try respond(try query.encode()))
        #expect(reply.responseCode == .badVersion)
        #expect(reply.answers.isEmpty)
    }

    @Test func sendsOutsideNamesUpstreamUnchanged() throws {
        let query = DNSTest.query("example.com", .a)
        guard case .forward(let message) = DNSResponder.respond(to: query, table: table, transport: .udp,
                                                                recursionAvailable: true)
        else {
            Issue.record("expected a forward")
            return
        }
        #expect(message.questions.first?.name == DNSName("example.com"))
        let failure = try DNSMessage(bytes: DNSResponder.failure(to: message, code: .serverFailure,
                                                                 recursionAvailable: true))
        #expect(failure.responseCode == .serverFailure)
        #expect(failure.header.id == message.header.id)
        #expect(failure.questions == message.questions)
    }
}
