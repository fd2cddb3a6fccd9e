import Foundation
import OrcaRuntime

/// Writes tar streams byte by byte, so tests can make layers no well-behaved tar tool would
/// (`../` names, files under a symlink) alongside ordinary ones.
struct ImageTarBuilder {
    private(set) var bytes: [UInt8] = []

    enum Kind: UInt8 {
        case file = 48, hardLink = 49, symlink = 50, characterDevice = 51, directory = 53
        case paxHeader = 120, gnuLongName = 76
    }

    mutating func file(_ name: String, _ content: String, mode: Int = 0o644, uid: Int = 0, gid: Int = 0) {
        entry(name, .file, data: Array(content.utf8), mode: mode, uid: uid, gid: gid)
    }

    mutating func directory(_ name: String, mode: Int = 0o755) { entry(name, .directory, mode: mode) }

    mutating func symlink(_ name: String, to target: String) { entry(name, .symlink, link: target, mode: 0o777) }

    mutating func hardLink(_ name: String, to target: String) { entry(name, .hardLink, link: target) }

    /// A file whose name is carried in a PAX `path` record (the header has a stand-in).
    mutating func paxFile(_ name: String, _ content: String) {
        let record = paxRecord("path", name)
        entry("PaxHeaders/x", .paxHeader, data: Array(record.utf8))
        entry("stand-in", .file, data: Array(content.utf8))
    }

    /// A file whose name is carried in a GNU `L` entry.
    mutating func gnuLongFile(_ name: String, _ content: String) {
        entry("././@LongLink", .gnuLongName, data: Array(name.utf8) + [0])
        entry(String(name.prefix(99)), .file, data: Array(content.utf8))
    }

    mutating func entry(_ name: String, _ kind: Kind, data: [UInt8] = [], link: String = "", mode: Int = 0o644,
                        uid: Int = 0, gid: Int = 0, device: (major: Int, minor: Int) = (0, 0)) {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ value: String, _ offset: Int, _ length: Int) {
            for (index, byte) in value.utf8.prefix(length).enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: Int, _ offset: Int, _ length: Int) {
            put(String(repeating: "0", count: max(0, length - 1 - String(value, radix: 8).count))
                + String(value, radix: 8), offset, length - 1)
        }
        put(name, 0, 100)
        octal(mode, 100, 8)
        octal(uid, 108, 8)
        octal(gid, 116, 8)
        octal(data.count, 124, 12)
        octal(1_700_000_000, 136, 12)
        header[156] = kind.rawValue
        put(link, 157, 100)
        put("ustar\u{0}00", 257, 8)
        octal(device.major, 329, 8)
        octal(device.minor, 337, 8)
        put("        ", 148, 8)
        let sum = header.reduce(0) { $0 + Int($1) }
        put(String(repeating: "0", count: 6 - String(sum, radix: 8).count) + String(sum, radix: 8) + "\u{0} ", 148, 8)
        bytes += header
        bytes += data
        bytes += [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
    }

    /// The stream with its two zero blocks.
    var tar: Data { Data(bytes + [UInt8](repeating: 0, count: 1024)) }

    /// The diff ID of ``tar``.
    var diffID: Digest { Digest.of(tar) }

    private func paxRecord(_ key: String, _ value: String) -> String {
        let body = " \(key)=\(value)\n"
        var length = body.utf8.count + 1
        while String(length).count + body.utf8.count != length { length += 1 }
        return "\(length)\(body)"
    }
}
