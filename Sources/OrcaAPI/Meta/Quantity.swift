#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OrcaText

/// A resource amount as Kubernetes writes it: `100m` CPU, `64Mi` memory, `2`, `1e3`.
///
/// Kept as the user's text (so it round-trips) with the parsed value; `milliValue` is what the
/// scheduler adds and compares. Decodes from a string or a number (v1beta1 sends numbers).
public struct Quantity: Codable, Sendable, Hashable, CustomStringConvertible {
    public let text: String
    /// The amount in thousandths (`100m` -> 100, `1` -> 1000, `1Ki` -> 1_024_000).
    public let milliValue: Int64

    public init?(_ text: String) {
        guard let milli = Quantity.parseMilli(text) else { return nil }
        self.text = text
        self.milliValue = milli
    }

    public init(milli: Int64) {
        self.milliValue = milli
        self.text = milli % 1000 == 0 ? String(milli / 1000) : "\(milli)m"
    }

    public init(integer: Int64) {
        self.milliValue = integer &* 1000
        self.text = String(integer)
    }

    /// The whole value, rounded up (`100m` -> 1, `64Mi` -> 67108864).
    public var value: Int64 { (milliValue + 999) / 1000 }

    public var description: String { text }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let i = try? c.decode(Int64.self) {
            self.init(integer: i)
            return
        }
        if let d = try? c.decode(Double.self) {
            self.init(milli: Int64((d * 1000).rounded()))
            return
        }
        let s = try c.decode(String.self)
        guard let q = Quantity(s) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"))
        }
        self = q
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }

    public static func == (a: Quantity, b: Quantity) -> Bool { a.milliValue == b.milliValue }
    public func hash(into h: inout Hasher) { h.combine(milliValue) }

    /// Suffixes as powers of two (`Ki` = 2^10) and of ten (`m` = 10^-3).
    private static let binaryExponents: [Substring: Int] = ["Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60]
    private static let decimalExponents: [Substring: Int] = [
        "n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
    ]

    /// The amount in thousandths, computed exactly (no binary floating point: `9m` is 9, not 10),
    /// rounded away from zero as Kubernetes rounds; nil for malformed text or an amount beyond Int64.
    static func parseMilli(_ text: String) -> Int64? {
        let s = Substring(text.trimmingWhitespace())
        var i = s.startIndex
        var negative = false
        if i < s.endIndex, s[i] == "+" || s[i] == "-" {
            negative = s[i] == "-"
            i = s.index(after: i)
        }
        // The number as digits (an integer) and how many of them follow the point.
        var digits: Int128 = 0
        var fractionDigits = 0
        var sawDigit = false
        var sawPoint = false
        while i < s.endIndex, let ascii = s[i].asciiValue, ascii == UInt8(ascii: ".") || (48...57).contains(ascii) {
            if ascii == UInt8(ascii: ".") {
                guard !sawPoint else { return nil }
                sawPoint = true
            } else {
                sawDigit = true
                // Beyond 30 significant digits the amount cannot fit anyway, or the digits are noise.
                if digits < 1_000_000_000_000_000_000_000_000_000 {
                    digits = digits * 10 + Int128(ascii - 48)
                    if sawPoint { fractionDigits += 1 }
                } else if !sawPoint {
                    return nil
                }
            }
            i = s.index(after: i)
        }
        guard sawDigit else { return nil }
        let suffix = s[i...]
        var powerOfTwo = 0
        var powerOfTen: Int
        if let e = binaryExponents[suffix] {
            powerOfTwo = e
            powerOfTen = 0
        } else if let e = decimalExponents[suffix] {
            powerOfTen = e
        } else if let first = suffix.first, first == "e" || first == "E", let e = Int(suffix.dropFirst()) {
            // Clamped so the arithmetic below cannot overflow; anything this far out is 0, 1 or too large.
            powerOfTen = min(max(e, -1000), 1000)
        } else {
            return nil
        }
        if digits == 0 { return 0 }
        powerOfTen += 3 - fractionDigits
        var milli = digits
        if powerOfTwo > 0 {
            guard milli.leadingZeroBitCount > powerOfTwo else { return nil }
            milli <<= powerOfTwo
        }
        if powerOfTen > 0 {
            for _ in 0..<powerOfTen {
                let (product, overflow) = milli.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                milli = product
            }
        } else if powerOfTen < 0 {
            var divisor: Int128 = 1
            for _ in 0..<(-powerOfTen) {
                divisor *= 10
                if divisor > milli { break }
            }
            let (quotient, remainder) = milli.quotientAndRemainder(dividingBy: divisor)
            milli = quotient + (remainder == 0 ? 0 : 1)
        }
        guard milli <= Int128(Int64.max) else { return nil }
        return negative ? -Int64(milli) : Int64(milli)
    }
}
