/// The server's decisions, free of I/O: from one incoming packet and the current table to the
/// bytes to send back, a question for the upstream servers, or nothing.
public enum DNSResponder {
    /// How the packet came, which bounds the answer's size.
    public enum Transport: Sendable {
        case udp
        case tcp
    }

    public enum Outcome: Sendable, Equatable {
        case reply([UInt8])
        /// A well-formed query for a name outside the cluster: send it upstream as it is.
        case forward(DNSMessage)
        /// Not worth an answer: too short to carry an id, or itself a response (answering
        /// responses would let two servers bounce packets forever).
        case drop
    }

    /// The largest UDP answer sent to an EDNS0 client whatever it advertises: the size that
    /// avoids IP fragmentation on common paths (DNS flag day 2020).
    public static let maxUDPPayload = 1232

    public static func respond(to packet: [UInt8], table: DNSRecordTable, transport: Transport,
                               recursionAvailable: Bool) -> Outcome {
        guard let header = DNSMessage.header(of: packet), !header.isResponse else { return .drop }
        var response = DNSMessage(header: DNSHeader(
            id: header.id, isResponse: true, opcode: header.opcode, recursionDesired: header.recursionDesired,
            recursionAvailable: recursionAvailable))
        guard let query = try? DNSMessage(bytes: packet) else {
            return reply(response, code: .formatError, limit: DNSMessage.classicUDPLimit)
        }
        let opts = query.additionals.filter { $0.type == .opt }
        guard opts.count <= 1 else { return reply(response, code: .formatError, limit: DNSMessage.classicUDPLimit) }
        let edns = query.edns
        if let edns {
            response.additionals = [DNSEDNS(udpPayloadSize: UInt16(maxUDPPayload)).record]
            if edns.version != 0 {
                return reply(response, code: .badVersion, limit: DNSMessage.classicUDPLimit)
            }
        }
        let limit = switch transport {
        case .tcp: DNSMessage.tcpLimit
        case .udp: min(max(Int(edns?.udpPayloadSize ?? 0), DNSMessage.classicUDPLimit), maxUDPPayload)
        }
        guard header.opcode == DNSHeader.queryOpcode else {
            return reply(response, code: .notImplemented, limit: limit)
        }
        // Every server in use answers exactly one question per query; more is malformed.
        guard query.questions.count == 1, let question = query.questions.first else {
            return reply(response, code: .formatError, limit: limit)
        }
        response.questions = [question]
        switch table.answer(question) {
        case .records(let answers, let additionals, let authoritative):
            response.header.authoritative = authoritative
            response.answers = answers
            response.additionals = additionals + response.additionals
            return reply(response, code: .noError, limit: limit)
        case .noData(let authority, let authoritative):
            response.header.authoritative = authoritative
            response.authorities = authority
            return reply(response, code: .noError, limit: limit)
        case .nameError(let authority):
            response.header.authoritative = true
            response.authorities = authority
            return reply(response, code: .nameError, limit: limit)
        case .refused:
            return reply(response, code: .refused, limit: limit)
        case .notReady:
            return reply(response, code: .serverFailure, limit: limit)
        case .forward:
            return .forward(query)
        }
    }

    /// An answer with only `code` to `query` (SERVFAIL when no upstream server answered).
    public static func failure(to query: DNSMessage, code: DNSResponseCode, recursionAvailable: Bool) -> [UInt8] {
        var response = DNSMessage(header: DNSHeader(
            id: query.header.id, isResponse: true, opcode: query.header.opcode,
            recursionDesired: query.header.recursionDesired, recursionAvailable: recursionAvailable))
        response.questions = query.questions
        if query.edns != nil { response.additionals = [DNSEDNS(udpPayloadSize: UInt16(maxUDPPayload)).record] }
        if case .reply(let bytes) = reply(response, code: code, limit: DNSMessage.classicUDPLimit) { return bytes }
        return []
    }

    /// Sets `code` (its high bits in the OPT record, when there is one) and encodes.
    private static func reply(_ message: DNSMessage, code: DNSResponseCode, limit: Int) -> Outcome {
        var message = message
        message.header.responseCode = DNSResponseCode(rawValue: code.rawValue & 0xF)
        if let index = message.additionals.firstIndex(where: { $0.type == .opt }) {
            var edns = DNSEDNS(record: message.additionals[index])
            edns.extendedResponseCode = UInt8(truncatingIfNeeded: code.rawValue >> 4)
            message.additionals[index] = edns.record
        }
        if let bytes = try? message.encode(limit: limit) { return .reply(bytes) }
        // Only names too long for the wire get here; the question came off the wire, so a
        // bare header always encodes.
        message.answers = []
        message.authorities = []
        message.additionals = []
        message.header.responseCode = .serverFailure
        return (try? message.encode(limit: limit)).map(Outcome.reply) ?? .drop
    }
}
