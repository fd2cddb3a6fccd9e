/// An IPv4 network such as `10.0.0.0/16`.
public struct IPv4CIDR: Sendable, CustomStringConvertible, Equatable {
    public let network: UInt32
    public let prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let address = IPv4CIDR.parseAddress(String(parts[0])),
              let length = Int(parts[1]), (0...32).contains(length) else { return nil }
        prefixLength = length
        network = address & IPv4CIDR.mask(length)
    }

    public var size: UInt32 { prefixLength == 0 ? UInt32.max : UInt32(1) << UInt32(32 - prefixLength) }
    public var broadcast: UInt32 { network | ~IPv4CIDR.mask(prefixLength) }
    public var description: String { "\(IPv4CIDR.format(network))/\(prefixLength)" }

    public func contains(_ address: UInt32) -> Bool { address & IPv4CIDR.mask(prefixLength) == network }

    static func mask(_ length: Int) -> UInt32 { length == 0 ? 0 : UInt32.max << UInt32(32 - length) }

    public static func parseAddress(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard octet.count <= 3, let byte = UInt8(octet) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }

    public static func format(_ address: UInt32) -> String {
        "\(address >> 24 & 255).\(address >> 16 & 255).\(address >> 8 & 255).\(address & 255)"
    }
}
