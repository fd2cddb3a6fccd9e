/// A domain name as a list of labels, each the bytes found on the wire (RFC 1035 3.1).
///
/// Labels are kept as bytes, not text: a query may carry any octet, and its exact case must
/// come back in the answer (resolvers that randomise case, "0x20", check it). Compare with
/// ``lowercased()`` for lookups: DNS names match without regard to ASCII case (RFC 4343).
public struct DNSName: Hashable, Sendable, CustomStringConvertible {
    /// The labels from the leftmost to the last before the root; empty for the root.
    public var labels: [[UInt8]]

    /// The most octets a name may take on the wire, its length bytes and the root included.
    public static let maxWireLength = 255
    public static let maxLabelLength = 63

    public static let root = DNSName(labels: [])

    public init(labels: [[UInt8]]) {
        self.labels = labels
    }

    /// A name from dotted text (`a.b.c` or `a.b.c.`); empty labels are dropped. No escapes: the
    /// names this server makes are plain hostnames.
    public init(_ text: String) {
        labels = text.split(separator: ".", omittingEmptySubsequences: true).map { Array($0.utf8) }
    }

    /// Octets on the wire, uncompressed: one length byte per label, the label, then the root.
    public var wireLength: Int { labels.reduce(1) { $0 + 1 + $1.count } }

    /// The same name with ASCII `A`-`Z` folded to `a`-`z`; other octets unchanged.
    public func lowercased() -> DNSName {
        DNSName(labels: labels.map { label in label.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 } })
    }

    /// Whether `self` is `other` or lies below it, without regard to case.
    public func isSubdomain(of other: DNSName) -> Bool {
        guard labels.count >= other.labels.count else { return false }
        return DNSName(labels: Array(labels.suffix(other.labels.count))).lowercased() == other.lowercased()
    }

    /// The name with its `count` leftmost labels removed.
    public func dropFirst(_ count: Int = 1) -> DNSName {
        DNSName(labels: Array(labels.dropFirst(count)))
    }

    /// `label` followed by this name.
    public func prepending(_ label: String) -> DNSName {
        DNSName(labels: [Array(label.utf8)] + labels)
    }

    /// Dotted text with a trailing dot; a dot or unprintable octet inside a label is escaped
    /// as in zone files (`\.`, `\DDD`), so two different names never print the same.
    public var description: String {
        if labels.isEmpty { return "." }
        var text = ""
        for label in labels {
            for byte in label {
                switch byte {
                case UInt8(ascii: "."), UInt8(ascii: "\\"):
                    text.append("\\")
                    text.append(Character(Unicode.Scalar(byte)))
                case 0x21...0x7E:
                    text.append(Character(Unicode.Scalar(byte)))
                default:
                    text.append("\\" + String(repeating: "0", count: byte < 10 ? 2 : byte < 100 ? 1 : 0) + "\(byte)")
                }
            }
            text.append(".")
        }
        return text
    }
}
