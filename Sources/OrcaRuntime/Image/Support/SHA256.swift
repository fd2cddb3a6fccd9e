import CRuntimeShims

/// SHA-256 as FIPS 180-4 defines it, computed incrementally: the digest of every blob and layer.
///
/// Our own rather than swift-crypto's, whose `Crypto` module imports Foundation on Linux: the
/// minion links only FoundationEssentials (docs/kubelet.md). Blocks go through the CPU's SHA
/// instructions where it has them (x86 SHA extensions, in CRuntimeShims), else through the
/// portable code here. A value type; copy it to hash a common prefix two ways.
public struct SHA256: Sendable {
    /// A finished hash: 32 bytes.
    public struct Digest: Sendable, Hashable, Sequence {
        public let bytes: [UInt8]

        public func makeIterator() -> IndexingIterator<[UInt8]> { bytes.makeIterator() }

        /// The 64 lowercase hex digits.
        public var hex: String {
            let digits = Array("0123456789abcdef".utf8)
            var out = [UInt8]()
            out.reserveCapacity(64)
            for byte in bytes {
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0xf)])
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// FIPS 180-4 5.3.3: the first 32 bits of the fractional parts of the square roots of the first 8 primes.
    private var state: State = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19)
    /// Bytes of an incomplete block, waiting for the rest of it.
    private var pending: [UInt8] = []
    private var length: UInt64 = 0
    /// Whether blocks go through the CPU's SHA instructions rather than ``compress(_:blocks:count:)``.
    private let hardware: Bool

    public init() { hardware = Self.cpuHasSHA }

    /// With `portable`, the portable code even on a CPU with SHA instructions (to test both).
    package init(portable: Bool) { hardware = !portable && Self.cpuHasSHA }

    private static let cpuHasSHA = orca_sha256_hardware() != 0

    /// The hash of `data` in one call.
    public static func hash(data: some Sequence<UInt8>) -> Digest {
        var hasher = SHA256()
        hasher.update(data: data)
        return hasher.finalize()
    }

    /// Adds bytes to the message.
    public mutating func update(data: some Sequence<UInt8>) {
        let done: Void? = data.withContiguousStorageIfAvailable { update(bufferPointer: UnsafeRawBufferPointer($0)) }
        if done == nil { Array(data).withUnsafeBytes { update(bufferPointer: $0) } }
    }

    /// Adds bytes to the message.
    public mutating func update(bufferPointer buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
        length &+= UInt64(buffer.count)
        var offset = 0
        if !pending.isEmpty {
            let take = min(64 - pending.count, buffer.count)
            pending.append(contentsOf: UnsafeRawBufferPointer(start: base, count: take))
            offset = take
            guard pending.count == 64 else { return }
            let block = pending
            block.withUnsafeBytes { process(blocks: $0.baseAddress!, count: 1) }
            pending.removeAll(keepingCapacity: true)
        }
        let blocks = (buffer.count - offset) / 64
        if blocks > 0 {
            process(blocks: base + offset, count: blocks)
            offset += blocks * 64
        }
        if offset < buffer.count {
            pending.append(contentsOf: UnsafeRawBufferPointer(start: base + offset, count: buffer.count - offset))
        }
    }

    /// Pads the message (5.1.1) and returns its hash.
    public consuming func finalize() -> Digest {
        let bits = length &* 8
        var tail = pending
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        tail.withUnsafeBytes { process(blocks: $0.baseAddress!, count: tail.count / 64) }
        var out = [UInt8]()
        out.reserveCapacity(32)
        for word in [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7] {
            out.append(contentsOf: [UInt8(word >> 24), UInt8(truncatingIfNeeded: word >> 16),
                                    UInt8(truncatingIfNeeded: word >> 8), UInt8(truncatingIfNeeded: word)])
        }
        return Digest(bytes: out)
    }

    /// 6.2.2: the hash computation over whole 64-byte blocks.
    private mutating func process(blocks: UnsafeRawPointer, count: Int) {
        guard hardware else { return Self.compress(&state, blocks: blocks, count: count) }
        withUnsafeMutableBytes(of: &state) { words in
            orca_sha256_blocks(words.baseAddress!.assumingMemoryBound(to: UInt32.self),
                               blocks.assumingMemoryBound(to: UInt8.self), count)
        }
    }

    private typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    private static func compress(_ state: inout State, blocks: UnsafeRawPointer, count: Int) {
        var (h0, h1, h2, h3, h4, h5, h6, h7) = state
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            withUnsafePointer(to: orca_sha256_k) { table in
                let k = UnsafeRawPointer(table).assumingMemoryBound(to: UInt32.self)
                for block in 0..<count {
                    let bytes = blocks + block * 64
                    for t in 0..<16 {
                        w[t] = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: t * 4, as: UInt32.self))
                    }
                    for t in 16..<64 {
                        let s0 = w[t - 15].rotatedRight(7) ^ w[t - 15].rotatedRight(18) ^ (w[t - 15] >> 3)
                        let s1 = w[t - 2].rotatedRight(17) ^ w[t - 2].rotatedRight(19) ^ (w[t - 2] >> 10)
                        w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
                    }
                    var (a, b, c, d, e, f, g, h) = (h0, h1, h2, h3, h4, h5, h6, h7)
                    for t in 0..<64 {
                        let s1 = e.rotatedRight(6) ^ e.rotatedRight(11) ^ e.rotatedRight(25)
                        let choose = (e & f) ^ (~e & g)
                        let t1 = h &+ s1 &+ choose &+ k[t] &+ w[t]
                        let s0 = a.rotatedRight(2) ^ a.rotatedRight(13) ^ a.rotatedRight(22)
                        let majority = (a & b) ^ (a & c) ^ (b & c)
                        let t2 = s0 &+ majority
                        (h, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
                    }
                    h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d
                    h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= h
                }
            }
        }
        state = (h0, h1, h2, h3, h4, h5, h6, h7)
    }
}

extension UInt32 {
    @inline(__always)
    fileprivate func rotatedRight(_ count: UInt32) -> UInt32 { (self >> count) | (self << (32 - count)) }
}
