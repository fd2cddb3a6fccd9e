/// A DNS message (RFC 1035 4.1): a header and four sections of records.
///
/// Parse one with ``init(bytes:)`` (throws ``DNSParseError`` for anything malformed, never
/// traps) and build the bytes of one with ``encode(limit:)``.
public struct DNSMessage: Sendable, Equatable {
    public var header: DNSHeader
    public var questions: [DNSQuestion]
    public var answers: [DNSResourceRecord]
    public var authorities: [DNSResourceRecord]
    public var additionals: [DNSResourceRecord]

    public init(header: DNSHeader, questions: [DNSQuestion] = [], answers: [DNSResourceRecord] = [],
                authorities: [DNSResourceRecord] = [], additionals: [DNSResourceRecord] = []) {
        self.header = header
        self.questions = questions
        self.answers = answers
        self.authorities = authorities
        self.additionals = additionals
    }

    /// The EDNS0 pseudo-record (RFC 6891) of the additional section, if there is one.
    public var edns: DNSEDNS? {
        additionals.lazy.compactMap { record -> DNSEDNS? in
            guard record.type == .opt, case .raw = record.data else { return nil }
            return DNSEDNS(record: record)
        }.first
    }

    /// The full response code: the header's four bits, plus the eight high bits an OPT carries.
    public var responseCode: DNSResponseCode {
        let high = edns.map { UInt16($0.extendedResponseCode) << 4 } ?? 0
        return DNSResponseCode(rawValue: high | UInt16(header.responseCode.rawValue & 0xF))
    }
}

/// The fixed twelve octets at the start of every message, minus the four section counts
/// (they follow from the sections).
public struct DNSHeader: Sendable, Equatable {
    public var id: UInt16
    public var isResponse: Bool
    public var opcode: UInt8
    public var authoritative: Bool
    public var truncated: Bool
    public var recursionDesired: Bool
    public var recursionAvailable: Bool
    /// The low four bits of the response code (the rest, if any, are in the OPT record).
    public var responseCode: DNSResponseCode

    public init(id: UInt16, isResponse: Bool = false, opcode: UInt8 = 0, authoritative: Bool = false,
                truncated: Bool = false, recursionDesired: Bool = false, recursionAvailable: Bool = false,
                responseCode: DNSResponseCode = .noError) {
        self.id = id
        self.isResponse = isResponse
        self.opcode = opcode
        self.authoritative = authoritative
        self.truncated = truncated
        self.recursionDesired = recursionDesired
        self.recursionAvailable = recursionAvailable
        self.responseCode = responseCode
    }

    /// The standard query opcode; the server answers no other.
    public static let queryOpcode: UInt8 = 0
}

public struct DNSQuestion: Sendable, Equatable {
    public var name: DNSName
    public var type: DNSRecordType
    public var recordClass: DNSClass

    public init(name: DNSName, type: DNSRecordType, recordClass: DNSClass = .internet) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
    }
}

public struct DNSResourceRecord: Sendable, Equatable {
    public var name: DNSName
    public var type: DNSRecordType
    /// The class; an OPT record keeps its UDP payload size here.
    public var recordClass: DNSClass
    /// Seconds; an OPT record keeps its extended code, version and flags here.
    public var ttl: UInt32
    public var data: DNSRecordData

    public init(name: DNSName, type: DNSRecordType, recordClass: DNSClass = .internet, ttl: UInt32,
                data: DNSRecordData) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
        self.ttl = ttl
        self.data = data
    }
}

/// Record data the server makes or needs to read back; anything else is kept as raw octets.
public enum DNSRecordData: Sendable, Equatable {
    /// An IPv4 address, four octets in network order.
    case a([UInt8])
    case srv(priority: UInt16, weight: UInt16, port: UInt16, target: DNSName)
    case soa(DNSSOA)
    case ptr(DNSName)
    case cname(DNSName)
    case ns(DNSName)
    /// The octets as they were on the wire (for names inside, compression pointers unresolved).
    case raw([UInt8])
}

/// The start-of-authority data of a zone (RFC 1035 3.3.13).
public struct DNSSOA: Sendable, Equatable {
    public var primaryServer: DNSName
    public var mailbox: DNSName
    public var serial: UInt32
    public var refresh: UInt32
    public var retry: UInt32
    public var expire: UInt32
    /// The TTL of negative answers (RFC 2308).
    public var minimum: UInt32

    public init(primaryServer: DNSName, mailbox: DNSName, serial: UInt32, refresh: UInt32, retry: UInt32,
                expire: UInt32, minimum: UInt32) {
        self.primaryServer = primaryServer
        self.mailbox = mailbox
        self.serial = serial
        self.refresh = refresh
        self.retry = retry
        self.expire = expire
        self.minimum = minimum
    }
}

public struct DNSRecordType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let a = DNSRecordType(rawValue: 1)
    public static let ns = DNSRecordType(rawValue: 2)
    public static let cname = DNSRecordType(rawValue: 5)
    public static let soa = DNSRecordType(rawValue: 6)
    public static let ptr = DNSRecordType(rawValue: 12)
    public static let aaaa = DNSRecordType(rawValue: 28)
    public static let srv = DNSRecordType(rawValue: 33)
    public static let opt = DNSRecordType(rawValue: 41)
    public static let ixfr = DNSRecordType(rawValue: 251)
    public static let axfr = DNSRecordType(rawValue: 252)
    public static let any = DNSRecordType(rawValue: 255)

    public var description: String {
        switch self {
        case .a: "A"
        case .ns: "NS"
        case .cname: "CNAME"
        case .soa: "SOA"
        case .ptr: "PTR"
        case .aaaa: "AAAA"
        case .srv: "SRV"
        case .opt: "OPT"
        case .ixfr: "IXFR"
        case .axfr: "AXFR"
        case .any: "ANY"
        default: "TYPE\(rawValue)"
        }
    }
}

public struct DNSClass: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let internet = DNSClass(rawValue: 1)
    public static let any = DNSClass(rawValue: 255)
}

/// A response code; values above 15 need an OPT record to travel (RFC 6891 6.1.3).
public struct DNSResponseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let noError = DNSResponseCode(rawValue: 0)
    public static let formatError = DNSResponseCode(rawValue: 1)
    public static let serverFailure = DNSResponseCode(rawValue: 2)
    public static let nameError = DNSResponseCode(rawValue: 3)
    public static let notImplemented = DNSResponseCode(rawValue: 4)
    public static let refused = DNSResponseCode(rawValue: 5)
    public static let badVersion = DNSResponseCode(rawValue: 16)

    public var description: String {
        switch self {
        case .noError: "NOERROR"
        case .formatError: "FORMERR"
        case .serverFailure: "SERVFAIL"
        case .nameError: "NXDOMAIN"
        case .notImplemented: "NOTIMP"
        case .refused: "REFUSED"
        case .badVersion: "BADVERS"
        default: "RCODE\(rawValue)"
        }
    }
}

/// The EDNS0 fields of an OPT pseudo-record (RFC 6891 6.1.2).
public struct DNSEDNS: Sendable, Equatable {
    /// The largest UDP payload the sender can take.
    public var udpPayloadSize: UInt16
    public var extendedResponseCode: UInt8
    public var version: UInt8
    public var dnssecOK: Bool

    public init(udpPayloadSize: UInt16, extendedResponseCode: UInt8 = 0, version: UInt8 = 0, dnssecOK: Bool = false) {
        self.udpPayloadSize = udpPayloadSize
        self.extendedResponseCode = extendedResponseCode
        self.version = version
        self.dnssecOK = dnssecOK
    }

    init(record: DNSResourceRecord) {
        udpPayloadSize = record.recordClass.rawValue
        extendedResponseCode = UInt8(truncatingIfNeeded: record.ttl >> 24)
        version = UInt8(truncatingIfNeeded: record.ttl >> 16)
        dnssecOK = record.ttl & 0x8000 != 0
    }

    /// The OPT record carrying these fields, with no options.
    public var record: DNSResourceRecord {
        let ttl = UInt32(extendedResponseCode) << 24 | UInt32(version) << 16 | (dnssecOK ? 0x8000 : 0)
        return DNSResourceRecord(name: .root, type: .opt, recordClass: DNSClass(rawValue: udpPayloadSize), ttl: ttl,
                                 data: .raw([]))
    }
}
