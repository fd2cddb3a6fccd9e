import Foundation
import OrcaRuntime
import OrcaTesting
import Testing

/// Our SHA-256 (FIPS 180-4), with the CPU's SHA instructions where it has them and with the
/// portable code, against the standard's examples and against `sha256sum`.
struct SHA256Tests {
    private static func hash(_ bytes: some Sequence<UInt8>, portable: Bool) -> SHA256.Digest {
        var hasher = SHA256(portable: portable)
        hasher.update(data: bytes)
        return hasher.finalize()
    }

    @Test("FIPS 180-4 examples: empty, abc, the 448-bit message, a million a", arguments: [false, true])
    func knownVectors(portable: Bool) {
        #expect(Self.hash(Data(), portable: portable).hex
            == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Self.hash(Data("abc".utf8), portable: portable).hex
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Self.hash(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8), portable: portable).hex
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(Self.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000), portable: portable).hex
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(Digest.of(Data("abc".utf8)).description
            == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("fed in pieces of every size around a block, the hash is the one of the whole", arguments: [false, true])
    func incremental(portable: Bool) {
        var generator = SplitMix64(seed: 1804)
        let message = (0..<10_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let whole = Self.hash(message, portable: !portable)
        for piece in [1, 3, 55, 56, 63, 64, 65, 127, 128, 1000, 4096] {
            var hasher = SHA256(portable: portable)
            var offset = 0
            while offset < message.count {
                let end = min(offset + piece, message.count)
                message[offset..<end].withUnsafeBytes { hasher.update(bufferPointer: $0) }
                offset = end
            }
            #expect(hasher.finalize() == whole, "pieces of \(piece) bytes")
        }
        // The padding's edge cases: lengths whose last block has no room for the length field.
        for length in [55, 56, 57, 63, 64, 65, 119, 120] {
            let bytes = Array(message.prefix(length))
            var hasher = SHA256(portable: portable)
            hasher.update(data: bytes.prefix(length / 2))
            hasher.update(data: bytes.suffix(from: length / 2))
            #expect(hasher.finalize() == Self.hash(bytes, portable: !portable), "\(length) bytes")
        }
    }

    @Test("the digest of a file is the one sha256sum prints",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum"), "no sha256sum"))
    func matchesSha256sum() async throws {
        var generator = SplitMix64(seed: 256)
        let data = Data((0..<(3 << 20) + 17).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("orca-sha256-\(UUID().uuidString)")
        try data.write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let result = try await CommandResult.run("/usr/bin/sha256sum", [path.path])
        #expect(result.status == 0, "\(result)")
        let printed = result.stdout.split(separator: " ").first.map(String.init)
        #expect(printed == SHA256.hash(data: data).hex)
        #expect(printed == Self.hash(data, portable: true).hex)
    }
}
