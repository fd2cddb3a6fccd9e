import OrcaAPI
import OrcaProxy
import OrcaTesting
import Testing

@Suite("DNS codec")
struct DNSCodecTests {
    /// `dig example.com` as it goes on the wire: id 0xabcd, RD, one question A IN.
    static let exampleQuery: [UInt8] = [
        0xAB, 0xCD, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x07, 0x65, 0x78, 0x61, 0x6D, 0x70, 0x6C, 0x65, 0x03, 0x63, 0x6F, 0x6D, 0x00,
        0x00, 0x01, 0x00, 0x01,
    ]

    @Test func parsesAQueryFromTheWire() throws {
        let message = try DNSMessage(bytes: Self.exampleQuery)
        #expect(message.header.id == 0xABCD)
        #expect(message.header.recursionDesired)
        #expect(!message.header.isResponse)
        #expect(message.questions == [DNSQuestion(name: DNSName("example.com"), type: .a)])
        #expect(message.answers.isEmpty && message.additionals.isEmpty)
    }

    @Test func followsCompressionPointersInInput() throws {
        // A response whose answer name is a pointer to the question's name (offset 12).
        let bytes: [UInt8] = [
            0x00, 0x01, 0x81, 0x80, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
            0x01, 0x61, 0x01, 0x62, 0x00, 0x00, 0x01, 0x00, 0x01,
            0xC0, 0x0C, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0x04, 10, 0, 0, 1,
            // A second answer: label "c" then a pointer to "b" (offset 14).
            0x01, 0x63, 0xC0, 0x0E, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0x04, 10, 0, 0, 2,
        ]
        let message = try DNSMessage(bytes: bytes)
        #expect(message.answers.map(\.name) == [DNSName("a.b"), DNSName("c.b")])
        #expect(message.answers.map(\.data) == [.a([10, 0, 0, 1]), .a([10, 0, 0, 2])])
        #expect(message.answers.first?.ttl == 5)
    }

    @Test func rejectsPointerLoopsAndForwardPointers() {
        var header: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
        // Points at itself.
        #expect(throws: DNSParseError.badPointer(offset: 12)) {
            try DNSMessage(bytes: header + [0xC0, 0x0C, 0, 1, 0, 1])
        }
        // Points past itself.
        #expect(throws: DNSParseError.badPointer(offset: 12)) {
            try DNSMessage(bytes: header + [0xC0, 0x10, 0, 1, 0, 1, 0])
        }
        header[5] = 1
        #expect(throws: DNSParseError.self) { try DNSMessage(bytes: header + [0x40, 0x01]) }
    }

    @Test func rejectsNamesOver255Octets() {
        let label = [UInt8(63)] + [UInt8](repeating: 0x61, count: 63)
        let name = label + label + label + label + [0]
        let bytes: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0] + name + [0, 1, 0, 1]
        #expect(throws: DNSParseError.self) { try DNSMessage(bytes: bytes) }
    }

    @Test func rejectsTruncatedMessagesAndRecordData() {
        #expect(throws: DNSParseError.self) { try DNSMessage(bytes: Array(Self.exampleQuery.dropLast())) }
        #expect(throws: DNSParseError.self) { try DNSMessage(bytes: [0xAB]) }
        // An A record with five octets of data.
        let bad: [UInt8] = [0, 1, 0x81, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 5, 0, 5, 1, 2, 3, 4, 5]
        #expect(throws: DNSParseError.badRecordData(offset: 23)) { try DNSMessage(bytes: bad) }
    }

    @Test func encodesWhatItParses() throws {
        let name = DNSName("_http._tcp.web.default.svc.cluster.local")
        let target = DNSName("web.default.svc.cluster.local")
        let soa = DNSSOA(primaryServer: DNSName("ns.dns.cluster.local"), mailbox: DNSName("hostmaster.cluster.local"),
                         serial: 7, refresh: 7200, retry: 1800, expire: 86400, minimum: 5)
        let message = DNSMessage(
            header: DNSHeader(id: 42, isResponse: true, authoritative: true, recursionDesired: true,
                              recursionAvailable: true, responseCode: .noError),
            questions: [DNSQuestion(name: name, type: .srv)],
            answers: [DNSResourceRecord(name: name, type: .srv, ttl: 5,
                                        data: .srv(priority: 0, weight: 100, port: 8080, target: target))],
            authorities: [DNSResourceRecord(name: DNSName("cluster.local"), type: .soa, ttl: 5, data: .soa(soa))],
            additionals: [DNSResourceRecord(name: target, type: .a, ttl: 5, data: .a([10, 0, 0, 7])),
                          DNSResourceRecord(name: DNSName("7.0.0.10.in-addr.arpa"), type: .ptr, ttl: 5,
                                            data: .ptr(target)),
                          DNSEDNS(udpPayloadSize: 1232).record])
        let bytes = try message.encode()
        #expect(try DNSMessage(bytes: bytes) == message)
        #expect(try DNSMessage(bytes: bytes).edns == DNSEDNS(udpPayloadSize: 1232))
    }

    @Test func compressesRepeatedNamesButNotSRVTargets() throws {
        let name = DNSName("Web.Default.svc.cluster.local")
        let message = DNSMessage(
            header: DNSHeader(id: 1, isResponse: true),
            questions: [DNSQuestion(name: name, type: .a)],
            answers: [DNSResourceRecord(name: name, type: .a, ttl: 5, data: .a([10, 0, 0, 1]))])
        let bytes = try message.encode()
        // Header, then the question's name in full, its type and class, then a pointer to offset 12.
        let answerAt = 12 + name.wireLength + 4
        #expect(Array(bytes[answerAt..<(answerAt + 2)]) == [0xC0, 0x0C])
        #expect(bytes.count == answerAt + 2 + 10 + 4)
        // The case of the name is kept exactly.
        #expect(try DNSMessage(bytes: bytes).answers.first?.name.labels.first == Array("Web".utf8))

        let srv = DNSMessage(
            header: DNSHeader(id: 1, isResponse: true),
            questions: [DNSQuestion(name: name, type: .srv)],
            answers: [DNSResourceRecord(name: name, type: .srv, ttl: 5,
                                        data: .srv(priority: 0, weight: 0, port: 80, target: name))])
        let srvBytes = try srv.encode()
        // Pointer for the owner, six octets of numbers, then the target written out in full.
        let targetAt = answerAt + 2 + 10 + 6
        #expect(Array(srvBytes[targetAt..<(targetAt + name.wireLength)]) == Array(bytes[12..<(12 + name.wireLength)]))
    }

    @Test func truncatesWhatDoesNotFitTheLimit() throws {
        let name = DNSName("web.default.svc.cluster.local")
        let answers = (1...40).map { port in
            DNSResourceRecord(name: name, type: .srv, ttl: 5,
                              data: .srv(priority: 0, weight: 100, port: UInt16(port), target: name))
        }
        let message = DNSMessage(header: DNSHeader(id: 9, isResponse: true),
                                 questions: [DNSQuestion(name: name, type: .srv)], answers: answers,
                                 additionals: [DNSResourceRecord(name: name, type: .a, ttl: 5,
                                                                 data: .a([10, 0, 0, 1]))])
        let full = try DNSMessage(bytes: try message.encode())
        #expect(full.answers.count == 40 && !full.header.truncated)
        let small = try message.encode(limit: DNSMessage.classicUDPLimit)
        #expect(small.count <= DNSMessage.classicUDPLimit)
        let truncated = try DNSMessage(bytes: small)
        #expect(truncated.header.truncated)
        #expect(truncated.answers.isEmpty)
        #expect(truncated.questions == message.questions)
    }

    @Test func dropsHintsBeforeTruncating() throws {
        let name = DNSName("web.default.svc.cluster.local")
        let message = DNSMessage(
            header: DNSHeader(id: 9, isResponse: true), questions: [DNSQuestion(name: name, type: .a)],
            answers: [DNSResourceRecord(name: name, type: .a, ttl: 5, data: .a([10, 0, 0, 1]))],
            additionals: (0..<40).map { DNSResourceRecord(name: name, type: .a, ttl: 5, data: .a([10, 0, 1, $0])) })
        let parsed = try DNSMessage(bytes: try message.encode(limit: DNSMessage.classicUDPLimit))
        #expect(!parsed.header.truncated)
        #expect(parsed.answers.count == 1)
        #expect(parsed.additionals.isEmpty)
    }

    @Test func refusesToEncodeLabelsOver63Octets() {
        let long = DNSName(labels: [[UInt8](repeating: 0x61, count: 64)])
        let message = DNSMessage(header: DNSHeader(id: 1), questions: [DNSQuestion(name: long, type: .a)])
        #expect(throws: DNSEncodeError.self) { try message.encode() }
    }

    @Test func namesCompareWithoutCase() {
        #expect(DNSName("WeB.DeFault").lowercased() == DNSName("web.default"))
        #expect(DNSName("a.Cluster.Local").isSubdomain(of: DNSName("cluster.local")))
        #expect(!DNSName("local").isSubdomain(of: DNSName("cluster.local")))
        #expect(DNSName(labels: [Array("a.b".utf8), [0x00]]).description == "a\\.b.\\000.")
    }

    /// Random bytes and random damage to real messages: parsing throws or succeeds, never traps,
    /// and whatever the responder sends back is itself a well-formed response.
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func survivesRandomInput(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let table = DNSRecordTable(services: [DNSTest.service("web", ports: [DNSTest.httpPort])])
        let seeds: [[UInt8]] = [Self.exampleQuery, DNSTest.query("web.default.svc.cluster.local", .srv, edns: 4096),
                                DNSTest.query("_http._tcp.web.default.svc.cluster.local", .srv)]
        var replies = 0
        for round in 0..<5_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                let count = Int.random(in: 0..<300, using: &random)
                bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
                // Half of them with a plausible header, to get past the first checks.
                if bytes.count >= 12, random.chance(0.5) {
                    bytes[2] = 0x01
                    bytes[3] = 0
                    bytes[4] = 0
                    bytes[5] = 1
                }
            } else {
                bytes = random.pick(seeds)
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    let index = Int.random(in: 0..<bytes.count, using: &random)
                    bytes[index] = UInt8.random(in: 0...255, using: &random)
                }
                if random.chance(0.3) { bytes.removeLast(Int.random(in: 0..<bytes.count, using: &random)) }
            }
            if let parsed = try? DNSMessage(bytes: bytes) { _ = try? parsed.encode() }
            for transport in [DNSResponder.Transport.udp, .tcp] {
                let outcome = DNSResponder.respond(to: bytes, table: table, transport: transport,
                                                   recursionAvailable: true)
                if case .reply(let reply) = outcome {
                    replies += 1
                    let message = try DNSMessage(bytes: reply)
                    #expect(message.header.isResponse)
                    #expect(transport == .tcp || reply.count <= DNSResponder.maxUDPPayload)
                }
            }
        }
        #expect(replies > 0)
    }
}
