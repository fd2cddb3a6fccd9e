/// The pod IPs of one hollow minion: addresses of its pod CIDR handed to pods by key, the
/// network address, the first host address (a bridge's gateway on a real minion) and the
/// broadcast address excepted; an address comes back when its pod is forgotten.
struct HollowAddressPool: Sendable {
    let cidr: String
    private let first: UInt32
    private let count: UInt32
    private var next: UInt32 = 0
    private var byPod: [String: UInt32] = [:]
    private var used: Set<UInt32> = []

    /// A pool over `cidr` (`10.244.3.0/24`); nil when it is not an IPv4 CIDR with room for pods.
    init?(cidr: String) {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let base = HollowAddress.parse(String(parts[0])), let length = Int(parts[1]),
              (8...30).contains(length) else { return nil }
        let size = UInt32(1) << UInt32(32 - length)
        let network = base & ~(size - 1)
        self.cidr = cidr
        first = network + 2
        count = size - 3
    }

    /// Whether `address` lies in the pool's range.
    func contains(_ address: String) -> Bool {
        guard let value = HollowAddress.parse(address) else { return false }
        return value >= first && value - first < count
    }

    /// The address of the pod `key`: the one it has, else a free one; nil when all are taken.
    mutating func address(for key: String) -> String? {
        if let value = byPod[key] { return HollowAddress.format(value) }
        guard used.count < Int(count) else { return nil }
        while true {
            let value = first + next
            next = (next + 1) % count
            if used.insert(value).inserted {
                byPod[key] = value
                return HollowAddress.format(value)
            }
        }
    }

    /// Records that the pod `key` already has `address` (reported before this process started).
    mutating func adopt(_ address: String, for key: String) {
        guard byPod[key] == nil, let value = HollowAddress.parse(address), contains(address) else { return }
        byPod[key] = value
        used.insert(value)
    }

    mutating func release(_ key: String) {
        if let value = byPod.removeValue(forKey: key) { used.remove(value) }
    }

    var assignedCount: Int { byPod.count }
}

/// Dotted-quad IPv4 text and its number.
enum HollowAddress {
    static func parse(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard octet.count <= 3, let byte = UInt8(octet) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }

    static func format(_ value: UInt32) -> String {
        "\(value >> 24 & 255).\(value >> 16 & 255).\(value >> 8 & 255).\(value & 255)"
    }

    /// The `index`-th usable address from `first`, skipping addresses whose last octet is 0 or
    /// 255, so made-up host IPs look like real ones.
    static func host(_ index: Int, after first: String) -> String? {
        guard var value = parse(first), index >= 0 else { return nil }
        var remaining = index
        while true {
            let last = value & 255
            if last != 0 && last != 255 {
                if remaining == 0 { return format(value) }
                remaining -= 1
            }
            guard value < UInt32.max else { return nil }
            value += 1
        }
    }

    /// A made-up /24 pod CIDR for a minion the master gave none, from its host IP `a.b.c.d`:
    /// `10.(248 + c mod 8).d.0/24`, outside the master's default 10.244.0.0/16 and unique for the
    /// host IPs ``HollowMinions`` hands out (up to 2,000 minions).
    static func fallbackPodCIDR(hostIP: String) -> String {
        let value = parse(hostIP) ?? 0
        return "10.\(248 + (value >> 8 & 7)).\(value & 255).0/24"
    }
}
