/// Why bytes are not a DNS message. Every read is bounds-checked: malformed input throws, it
/// never traps.
public enum DNSParseError: Error, Equatable, Sendable {
    /// The message ended inside a field.
    case truncated(offset: Int)
    /// A compression pointer that does not point strictly backwards (a loop, or forward).
    case badPointer(offset: Int)
    /// A label type other than a plain label or a pointer (RFC 6891 retired the others).
    case badLabelType(offset: Int)
    /// A name longer than 255 octets.
    case nameTooLong(offset: Int)
    /// Record data whose contents do not fill its declared length exactly.
    case badRecordData(offset: Int)
}

extension DNSMessage {
    /// The message in `bytes` (a UDP payload, or a TCP frame without its length).
    ///
    /// Names may be compressed anywhere (RFC 1035 4.1.4). Octets after the last record are
    /// ignored, as most servers do.
    public init(bytes: [UInt8]) throws(DNSParseError) {
        var reader = DNSReader(bytes: bytes)
        let header = try reader.readHeader()
        self.init(header: header.header)
        for _ in 0..<header.counts.questions { questions.append(try reader.readQuestion()) }
        for _ in 0..<header.counts.answers { answers.append(try reader.readRecord()) }
        for _ in 0..<header.counts.authorities { authorities.append(try reader.readRecord()) }
        for _ in 0..<header.counts.additionals { additionals.append(try reader.readRecord()) }
    }

    /// Only the header of `bytes`, when there are at least twelve of them: enough to answer
    /// a message whose body is malformed with FORMERR under its own id.
    public static func header(of bytes: [UInt8]) -> DNSHeader? {
        var reader = DNSReader(bytes: bytes)
        return try? reader.readHeader().header
    }
}

/// A cursor over a message's bytes.
struct DNSReader {
    struct SectionCounts {
        var questions, answers, authorities, additionals: UInt16
    }

    let bytes: [UInt8]
    private(set) var offset = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func readHeader() throws(DNSParseError) -> (header: DNSHeader, counts: SectionCounts) {
        let id = try readUInt16()
        let flags = try readUInt16()
        let header = DNSHeader(
            id: id, isResponse: flags & 0x8000 != 0, opcode: UInt8((flags >> 11) & 0xF),
            authoritative: flags & 0x0400 != 0, truncated: flags & 0x0200 != 0,
            recursionDesired: flags & 0x0100 != 0, recursionAvailable: flags & 0x0080 != 0,
            responseCode: DNSResponseCode(rawValue: flags & 0xF))
        let counts = SectionCounts(questions: try readUInt16(), answers: try readUInt16(),
                                   authorities: try readUInt16(), additionals: try readUInt16())
        return (header, counts)
    }

    mutating func readQuestion() throws(DNSParseError) -> DNSQuestion {
        let name = try readName()
        let type = DNSRecordType(rawValue: try readUInt16())
        let recordClass = DNSClass(rawValue: try readUInt16())
        return DNSQuestion(name: name, type: type, recordClass: recordClass)
    }

    mutating func readRecord() throws(DNSParseError) -> DNSResourceRecord {
        let name = try readName()
        let type = DNSRecordType(rawValue: try readUInt16())
        let recordClass = DNSClass(rawValue: try readUInt16())
        let ttl = try readUInt32()
        let length = Int(try readUInt16())
        let start = offset
        guard bytes.count - start >= length else { throw .truncated(offset: start) }
        let end = start + length
        let data: DNSRecordData
        switch type {
        case .a where length == 4:
            data = .a(try readBytes(4))
        case .a:
            throw .badRecordData(offset: start)
        case .srv:
            data = .srv(priority: try readUInt16(), weight: try readUInt16(), port: try readUInt16(),
                        target: try readName())
        case .soa:
            data = .soa(DNSSOA(primaryServer: try readName(), mailbox: try readName(), serial: try readUInt32(),
                               refresh: try readUInt32(), retry: try readUInt32(), expire: try readUInt32(),
                               minimum: try readUInt32()))
        case .ptr:
            data = .ptr(try readName())
        case .cname:
            data = .cname(try readName())
        case .ns:
            data = .ns(try readName())
        default:
            data = .raw(try readBytes(length))
        }
        // A name inside the data must end exactly where the data does.
        guard offset == end else { throw .badRecordData(offset: start) }
        return DNSResourceRecord(name: name, type: type, recordClass: recordClass, ttl: ttl, data: data)
    }

    /// A name, following compression pointers. Each pointer must point before itself, so the
    /// walk always ends; the cursor moves past the name as it appears here (to just after the
    /// first pointer, if any).
    mutating func readName() throws(DNSParseError) -> DNSName {
        var labels: [[UInt8]] = []
        var wireLength = 1
        var position = offset
        var resumeAt: Int?
        while true {
            guard position < bytes.count else { throw .truncated(offset: position) }
            let length = bytes[position]
            switch length & 0xC0 {
            case 0xC0:
                guard position + 1 < bytes.count else { throw .truncated(offset: position) }
                let target = Int(length & 0x3F) << 8 | Int(bytes[position + 1])
                guard target < position else { throw .badPointer(offset: position) }
                if resumeAt == nil { resumeAt = position + 2 }
                position = target
            case 0x00:
                if length == 0 {
                    offset = resumeAt ?? position + 1
                    return DNSName(labels: labels)
                }
                let count = Int(length)
                wireLength += 1 + count
                guard wireLength <= DNSName.maxWireLength else { throw .nameTooLong(offset: position) }
                guard bytes.count - (position + 1) >= count else { throw .truncated(offset: position) }
                labels.append(Array(bytes[(position + 1)..<(position + 1 + count)]))
                position += 1 + count
            default:
                throw .badLabelType(offset: position)
            }
        }
    }

    mutating func readUInt16() throws(DNSParseError) -> UInt16 {
        guard bytes.count - offset >= 2 else { throw .truncated(offset: offset) }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func readUInt32() throws(DNSParseError) -> UInt32 {
        let high = try readUInt16()
        return UInt32(high) << 16 | UInt32(try readUInt16())
    }

    mutating func readBytes(_ count: Int) throws(DNSParseError) -> [UInt8] {
        guard bytes.count - offset >= count else { throw .truncated(offset: offset) }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }
}
