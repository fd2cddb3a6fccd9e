#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Reads JSON bytes one token at a time, for the kinds that decode themselves by hand
/// (``FastJSONDecodable``).
///
/// It only ever accepts what `JSONDecoder` would decode to the same value. Anything else makes it
/// decline (``FastJSON/Declined``) and the caller goes the `JSONDecoder` way, which also words the
/// errors: `null` where a value is read, escapes in member names, numbers with a fraction or an
/// exponent, a member given twice, invalid JSON. Duplicate members are declined because
/// `JSONDecoder` keeps the first and a reader that assigns as it goes would keep the last.
public struct JSONReader {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    /// A container was just opened: the next token is its first element or its end, not a comma.
    private var justOpened = false
    private var depth = 0

    /// Deeper documents go the `JSONDecoder` way (it has a limit of its own).
    private static let maxDepth = 256

    /// - Parameter bytes: must outlive the reader (use it inside `withUnsafeBytes`).
    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    // MARK: Structure

    /// Consumes `{`.
    public mutating func beginObject() throws(FastJSON.Declined) {
        try open(UInt8(ascii: "{"))
    }

    /// The next member's name, positioned at its value; nil once the object's `}` is consumed.
    public mutating func nextKey() throws(FastJSON.Declined) -> JSONKey? {
        guard try nextElement(closer: UInt8(ascii: "}")) else { return nil }
        guard byte == UInt8(ascii: "\"") else { throw FastJSON.Declined() }
        index += 1
        guard let name = try plainString() else { throw FastJSON.Declined() }
        try consumeColon()
        return JSONKey(name)
    }

    /// The next member's name as text, escapes and all (a map's key, which is data), positioned
    /// at its value; nil once the object's `}` is consumed.
    public mutating func nextKeyText() throws(FastJSON.Declined) -> String? {
        guard try nextElement(closer: UInt8(ascii: "}")) else { return nil }
        let name = try readString()
        try consumeColon()
        return name
    }

    /// Consumes `[`.
    public mutating func beginArray() throws(FastJSON.Declined) {
        try open(UInt8(ascii: "["))
    }

    /// Whether another element follows (positioned at it); false once the array's `]` is consumed.
    public mutating func nextElement() throws(FastJSON.Declined) -> Bool {
        try nextElement(closer: UInt8(ascii: "]"))
    }

    /// Reads a member's value into `slot`, declining a member given twice.
    public mutating func read<T: FastJSONDecodable>(_ slot: inout T?) throws(FastJSON.Declined) {
        guard slot == nil else { throw FastJSON.Declined() }
        slot = try T(json: &self)
    }

    /// Checks that nothing but whitespace follows the value read.
    public mutating func finish() throws(FastJSON.Declined) {
        skipWhitespace()
        guard index == bytes.count else { throw FastJSON.Declined() }
    }

    // MARK: Scalars

    public mutating func readString() throws(FastJSON.Declined) -> String {
        skipWhitespace()
        guard byte == UInt8(ascii: "\"") else { throw FastJSON.Declined() }
        index += 1
        guard let raw = try plainString() else { return try readEscapedString() }
        let text = try Self.utf8(raw)
        valueRead()
        return text
    }

    /// A JSON integer (no fraction, no exponent) that fits in an `Int64`.
    public mutating func readInt64() throws(FastJSON.Declined) -> Int64 {
        skipWhitespace()
        var negative = false
        if byte == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let start = index
        var value: Int64 = 0
        while index < bytes.count, let digit = Self.digit(bytes[index]) {
            // Accumulate negatively so Int64.min fits.
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times.subtractingReportingOverflow(Int64(digit))
            guard !o1, !o2 else { throw FastJSON.Declined() }
            value = next
            index += 1
        }
        let count = index - start
        // No digits, a leading zero ("01"), or a fraction or exponent to follow.
        guard count > 0, !(count > 1 && bytes[start] == UInt8(ascii: "0")) else { throw FastJSON.Declined() }
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
            throw FastJSON.Declined()
        }
        if negative {
            valueRead()
            return value
        }
        guard value != .min else { throw FastJSON.Declined() }
        valueRead()
        return -value
    }

    public mutating func readBool() throws(FastJSON.Declined) -> Bool {
        skipWhitespace()
        if matchLiteral("true") {
            valueRead()
            return true
        }
        if matchLiteral("false") {
            valueRead()
            return false
        }
        throw FastJSON.Declined()
    }

    /// Whether the next value is a string (else a number, a literal or a container).
    public mutating func nextIsString() -> Bool {
        skipWhitespace()
        return byte == UInt8(ascii: "\"")
    }

    // MARK: Skipping

    /// Skips one value (of a member no field takes), checking that it is valid JSON.
    public mutating func skipValue() throws(FastJSON.Declined) {
        skipWhitespace()
        switch byte {
        case UInt8(ascii: "{"):
            try beginObject()
            while try nextKey() != nil { try skipValue() }
        case UInt8(ascii: "["):
            try beginArray()
            while try nextElement() { try skipValue() }
        case UInt8(ascii: "\""):
            _ = try readString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            _ = try readBool()
        case UInt8(ascii: "n"):
            guard matchLiteral("null") else { throw FastJSON.Declined() }
            valueRead()
        default:
            try skipNumber()
        }
    }

    private mutating func skipNumber() throws(FastJSON.Declined) {
        if byte == UInt8(ascii: "-") { index += 1 }
        let start = index
        skipDigits()
        let count = index - start
        guard count > 0, !(count > 1 && bytes[start] == UInt8(ascii: "0")) else { throw FastJSON.Declined() }
        if byte == UInt8(ascii: ".") {
            index += 1
            guard skipDigits() > 0 else { throw FastJSON.Declined() }
        }
        if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            index += 1
            if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") { index += 1 }
            guard skipDigits() > 0 else { throw FastJSON.Declined() }
        }
        valueRead()
    }

    @discardableResult
    private mutating func skipDigits() -> Int {
        let start = index
        while index < bytes.count, Self.digit(bytes[index]) != nil { index += 1 }
        return index - start
    }

    // MARK: Helpers

    /// From just after a string's opening quote: its bytes, the read position then after the
    /// closing quote; nil at a backslash, the position left where it was (the string has escapes).
    private mutating func plainString() throws(FastJSON.Declined) -> UnsafeRawBufferPointer? {
        let start = index
        while index < bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: "\"") {
                index += 1
                return UnsafeRawBufferPointer(rebasing: bytes[start..<(index - 1)])
            }
            if c == UInt8(ascii: "\\") {
                index = start
                return nil
            }
            if c < 0x20 { throw FastJSON.Declined() }
            index += 1
        }
        throw FastJSON.Declined()
    }

    /// The `:` between a member's name and its value, with the whitespace around it.
    private mutating func consumeColon() throws(FastJSON.Declined) {
        skipWhitespace()
        guard byte == UInt8(ascii: ":") else { throw FastJSON.Declined() }
        index += 1
        skipWhitespace()
    }

    /// The byte at the read position (0 at the end, which no valid token starts with).
    private var byte: UInt8 { index < bytes.count ? bytes[index] : 0 }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func open(_ opener: UInt8) throws(FastJSON.Declined) {
        skipWhitespace()
        guard byte == opener, depth < Self.maxDepth else { throw FastJSON.Declined() }
        index += 1
        depth += 1
        justOpened = true
    }

    private mutating func nextElement(closer: UInt8) throws(FastJSON.Declined) -> Bool {
        skipWhitespace()
        if byte == closer {
            index += 1
            depth -= 1
            valueRead()
            return false
        }
        if justOpened {
            justOpened = false
        } else {
            guard byte == UInt8(ascii: ",") else { throw FastJSON.Declined() }
            index += 1
            skipWhitespace()
            // A trailing comma: `[1,]`.
            guard byte != closer else { throw FastJSON.Declined() }
        }
        return true
    }

    /// A value was read: what follows is a comma or its container's end.
    private mutating func valueRead() {
        justOpened = false
    }

    private mutating func matchLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count,
              memcmp(bytes.baseAddress! + index, literal.utf8Start, count) == 0 else { return false }
        index += count
        return true
    }

    private static func digit(_ c: UInt8) -> UInt8? {
        c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") ? c - UInt8(ascii: "0") : nil
    }

    private static func utf8(_ raw: UnsafeRawBufferPointer) throws(FastJSON.Declined) -> String {
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw FastJSON.Declined()
        }
        return text
    }

    /// The slow case of a string, from its opening quote's next byte: unescapes into a buffer.
    private mutating func readEscapedString() throws(FastJSON.Declined) -> String {
        var out: [UInt8] = []
        while index < bytes.count {
            let c = bytes[index]
            index += 1
            switch c {
            case UInt8(ascii: "\""):
                guard let text = String(validating: out, as: UTF8.self) else { throw FastJSON.Declined() }
                valueRead()
                return text
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { throw FastJSON.Declined() }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try readHex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        // A high surrogate must be followed by an escaped low one.
                        guard matchLiteral("\\u") else { throw FastJSON.Declined() }
                        let low = try readHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw FastJSON.Declined() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw FastJSON.Declined() }
                    out.append(contentsOf: UTF8.encode(unicode)!)
                default:
                    throw FastJSON.Declined()
                }
            default:
                guard c >= 0x20 else { throw FastJSON.Declined() }
                out.append(c)
            }
        }
        throw FastJSON.Declined()
    }

    private mutating func readHex4() throws(FastJSON.Declined) -> UInt32 {
        guard bytes.count - index >= 4 else { throw FastJSON.Declined() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            let v: UInt32 = switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(c - UInt8(ascii: "A") + 10)
            default: throw FastJSON.Declined()
            }
            value = value << 4 | v
            index += 1
        }
        return value
    }
}

/// A member name as it appears in the bytes (never escaped: the reader declines escapes in names).
public struct JSONKey {
    let bytes: UnsafeRawBufferPointer

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// `case "metadata":` in a switch over keys.
    public static func ~= (pattern: StaticString, key: JSONKey) -> Bool {
        let count = pattern.utf8CodeUnitCount
        return key.bytes.count == count && memcmp(key.bytes.baseAddress!, pattern.utf8Start, count) == 0
    }
}
