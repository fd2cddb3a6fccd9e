/// Why a message could not be written.
public enum DNSEncodeError: Error, Equatable, Sendable {
    /// A label over 63 octets or a name over 255: not representable on the wire.
    case invalidName(String)
    /// Record data over 65,535 octets.
    case recordDataTooLong
}

extension DNSMessage {
    /// The smallest UDP limit: what a client without EDNS0 can take (RFC 1035 4.2.1).
    public static let classicUDPLimit = 512
    /// A TCP message's limit: its length prefix is two octets (RFC 1035 4.2.2).
    public static let tcpLimit = 65_535

    /// The message's bytes, names compressed, no longer than `limit` octets.
    ///
    /// A message too long for `limit` first loses its additional records (all but the OPT
    /// record: they are only hints); if still too long, its answer and authority records go
    /// too and the TC bit is set, so the client asks again over TCP (RFC 2181 9).
    public func encode(limit: Int = tcpLimit) throws(DNSEncodeError) -> [UInt8] {
        let full = try encodeAll()
        if full.count <= limit { return full }
        var trimmed = self
        trimmed.additionals.removeAll { $0.type != .opt }
        let withoutHints = try trimmed.encodeAll()
        if withoutHints.count <= limit { return withoutHints }
        trimmed.answers = []
        trimmed.authorities = []
        trimmed.header.truncated = true
        return try trimmed.encodeAll()
    }

    private func encodeAll() throws(DNSEncodeError) -> [UInt8] {
        var writer = DNSWriter()
        writer.writeUInt16(header.id)
        var flags: UInt16 = UInt16(header.opcode & 0xF) << 11 | (header.responseCode.rawValue & 0xF)
        if header.isResponse { flags |= 0x8000 }
        if header.authoritative { flags |= 0x0400 }
        if header.truncated { flags |= 0x0200 }
        if header.recursionDesired { flags |= 0x0100 }
        if header.recursionAvailable { flags |= 0x0080 }
        writer.writeUInt16(flags)
        for count in [questions.count, answers.count, authorities.count, additionals.count] {
            writer.writeUInt16(UInt16(clamping: count))
        }
        for question in questions {
            try writer.writeName(question.name)
            writer.writeUInt16(question.type.rawValue)
            writer.writeUInt16(question.recordClass.rawValue)
        }
        for record in answers + authorities + additionals {
            try writer.writeRecord(record)
        }
        return writer.bytes
    }
}

/// Appends a message's fields, remembering where each name suffix was written so that later
/// names can point at it.
struct DNSWriter {
    private(set) var bytes: [UInt8] = []
    /// Offsets of name suffixes already written, by their exact octets: matching exactly keeps
    /// every name's case as it was given.
    private var suffixes: [ArraySlice<[UInt8]>: Int] = [:]

    init() {
        bytes.reserveCapacity(DNSMessage.classicUDPLimit)
    }

    mutating func writeUInt16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    mutating func writeUInt32(_ value: UInt32) {
        writeUInt16(UInt16(value >> 16))
        writeUInt16(UInt16(truncatingIfNeeded: value))
    }

    /// Writes `name`, ending in a pointer to an earlier copy of its longest known suffix unless
    /// `compress` is false (SRV targets must not be compressed, RFC 2782).
    mutating func writeName(_ name: DNSName, compress: Bool = true) throws(DNSEncodeError) {
        guard name.wireLength <= DNSName.maxWireLength,
              name.labels.allSatisfy({ !$0.isEmpty && $0.count <= DNSName.maxLabelLength })
        else { throw .invalidName(name.description) }
        for index in name.labels.indices {
            let suffix = name.labels[index...]
            if compress, let target = suffixes[suffix] {
                writeUInt16(0xC000 | UInt16(target))
                return
            }
            // Pointers have fourteen bits of offset.
            if bytes.count < 0x4000 { suffixes[suffix] = bytes.count }
            bytes.append(UInt8(name.labels[index].count))
            bytes.append(contentsOf: name.labels[index])
        }
        bytes.append(0)
    }

    mutating func writeRecord(_ record: DNSResourceRecord) throws(DNSEncodeError) {
        try writeName(record.name)
        writeUInt16(record.type.rawValue)
        writeUInt16(record.recordClass.rawValue)
        writeUInt32(record.ttl)
        let lengthAt = bytes.count
        writeUInt16(0)
        switch record.data {
        case .a(let address):
            bytes.append(contentsOf: address)
        case .srv(let priority, let weight, let port, let target):
            writeUInt16(priority)
            writeUInt16(weight)
            writeUInt16(port)
            try writeName(target, compress: false)
        case .soa(let soa):
            try writeName(soa.primaryServer)
            try writeName(soa.mailbox)
            for value in [soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum] { writeUInt32(value) }
        case .ptr(let name), .cname(let name), .ns(let name):
            try writeName(name)
        case .raw(let data):
            bytes.append(contentsOf: data)
        }
        let length = bytes.count - lengthAt - 2
        guard length <= Int(UInt16.max) else { throw .recordDataTooLong }
        bytes[lengthAt] = UInt8(length >> 8)
        bytes[lengthAt + 1] = UInt8(truncatingIfNeeded: length)
    }
}
