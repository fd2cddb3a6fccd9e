import Foundation

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

    private static let binary: [String: Double] = [
        "Ki": 0x1p10, "Mi": 0x1p20, "Gi": 0x1p30, "Ti": 0x1p40, "Pi": 0x1p50, "Ei": 0x1p60,
    ]
    private static let decimal: [String: Double] = [
        "n": 1e-9, "u": 1e-6, "m": 1e-3, "": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18,
    ]

    static func parseMilli(_ text: String) -> Int64? {
        let s = text.trimmingCharacters(in: .whitespaces)
        guard !s.isEmpty else { return nil }
        var numberEnd = s.startIndex
        for (i, ch) in zip(s.indices, s) {
            if ch.isNumber || ch == "." || ((ch == "+" || ch == "-") && i == s.startIndex) {
                numberEnd = s.index(after: i)
            } else {
                break
            }
        }
        guard let number = Double(s[s.startIndex..<numberEnd]) else { return nil }
        let suffix = String(s[numberEnd...])
        let multiplier: Double
        if let m = binary[suffix] ?? decimal[suffix] {
            multiplier = m
        } else if suffix.first == "e" || suffix.first == "E", let exp = Int(suffix.dropFirst()) {
            multiplier = pow(10, Double(exp))
        } else {
            return nil
        }
        let milli = number * multiplier * 1000
        guard milli.isFinite, abs(milli) < 9e18 else { return nil }
        return Int64(milli.rounded(.up))
    }
}
