#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A content digest, `sha256:<64 lowercase hex>`: the name of every blob, manifest and layer.
///
/// Only sha256 is accepted (the algorithm every registry and OCI archive uses); anything else
/// is refused at parse time, so a `Digest` can always be turned into a safe file name.
public struct Digest: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// The 64 lowercase hex characters after `sha256:`.
    public let hex: String

    /// Parses `sha256:<hex>`; nil for any other algorithm or a malformed value.
    public init?(_ string: String) {
        guard string.hasPrefix("sha256:") else { return nil }
        let hex = string.dropFirst("sha256:".count)
        guard hex.count == 64, hex.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            return nil
        }
        self.hex = String(hex)
    }

    /// Wraps a finished sha256.
    public init(_ hash: SHA256.Digest) { hex = hash.hex }

    /// The digest of `data`.
    public static func of(_ data: some Sequence<UInt8>) -> Digest { Digest(SHA256.hash(data: data)) }

    public var description: String { "sha256:" + hex }

    /// The first 12 hex characters, as `docker images` shows an image ID.
    public var short: String { String(hex.prefix(12)) }

    public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.hex < rhs.hex }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        guard let digest = Digest(string) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a sha256 digest: \(string)")
        }
        self = digest
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
