/// Names for `generateName`: the prefix plus five characters Kubernetes uses (no vowels, so no words).
enum NameGenerator {
    private static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    static func name(prefix: String) -> String {
        var suffix = ""
        for _ in 0..<5 { suffix.append(alphabet.randomElement()!) }
        return String(prefix.prefix(58)) + suffix
    }
}

/// `metadata.uid`s: random (version 4) UUIDs in lowercase, as Kubernetes writes them.
enum UIDGenerator {
    /// From the system's random generator (`getrandom`), not Foundation's `UUID()`, which opens and
    /// reads `/dev/urandom` for every uid on Linux: a visible cost at thousands of creates a second.
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        var high = generator.next() as UInt64
        var low = generator.next() as UInt64
        high = (high & ~0xF000) | 0x4000  // version 4
        low = (low & ~(0xC000 << 48)) | (0x8000 << 48)  // variant 10
        let hex = hexDigits(high, 16) + hexDigits(low, 16)
        let chars = Array(hex)
        return String(chars[0..<8]) + "-" + String(chars[8..<12]) + "-" + String(chars[12..<16]) + "-"
            + String(chars[16..<20]) + "-" + String(chars[20..<32])
    }

    private static func hexDigits(_ value: UInt64, _ width: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: width - text.count) + text
    }
}
