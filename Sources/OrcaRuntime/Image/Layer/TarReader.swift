/// Reads a tar stream entry by entry: POSIX ustar, GNU (`L`/`K` long names, base-256
/// numbers) and PAX (`x` headers for path, linkpath, size, uid, gid, mtime, xattrs).
///
/// Use: `while let entry = try reader.next() { ... reader.read(into:) ... }`; data left
/// unread by the caller is skipped by the next `next()`.
final class TarReader {
    private let source: ByteSource
    private var buffer: [UInt8] = []
    private var bufferStart = 0
    private var sourceEnded = false
    /// Bytes of the current entry's data not yet returned, and the padding after them.
    private var dataLeft: Int64 = 0
    private var paddingLeft = 0
    /// PAX records from `g` headers, which apply to every later entry.
    private var globalRecords: [String: [UInt8]] = [:]

    init(source: ByteSource) { self.source = source }

    /// The next entry, or nil at the end of the archive.
    func next() throws -> TarEntry? {
        try skip(dataLeft + Int64(paddingLeft))
        dataLeft = 0
        paddingLeft = 0
        var longName: String?
        var longLink: String?
        var records = globalRecords
        while true {
            let header = try readBlock()
            guard let header else { return nil }
            if header.allSatisfy({ $0 == 0 }) { return nil } // the end-of-archive marker
            try verifyChecksum(header)
            let type = header[156]
            let size = try number(header, 124, 12)
            switch type {
            case UInt8(ascii: "L"), UInt8(ascii: "K"), UInt8(ascii: "x"), UInt8(ascii: "g"):
                guard size <= 1 << 20 else { throw ImageError.invalidLayer("oversized tar extension header") }
                let payload = try readPayload(Int(size))
                switch type {
                case UInt8(ascii: "L"): longName = Self.string(payload)
                case UInt8(ascii: "K"): longLink = Self.string(payload)
                case UInt8(ascii: "x"): records.merge(try Self.paxRecords(payload)) { $1 }
                default:
                    globalRecords.merge(try Self.paxRecords(payload)) { $1 }
                    records.merge(globalRecords) { $1 }
                }
                continue
            default:
                var entry = try makeEntry(header, type: type, size: size)
                if let longName { entry.path = longName }
                if let longLink { entry.linkName = longLink }
                try apply(records, to: &entry)
                // Only regular files carry data (a hard link's size field is ignored, as GNU tar does).
                let hasData: Bool = switch entry.kind {
                case .regular, .other: true
                case .hardLink, .symbolicLink, .characterDevice, .blockDevice, .directory, .fifo: false
                }
                dataLeft = hasData ? entry.size : 0
                paddingLeft = hasData ? Int((512 - entry.size % 512) % 512) : 0
                return entry
            }
        }
    }

    /// Reads the current entry's data; 0 at its end.
    func read(into out: UnsafeMutableRawBufferPointer) throws -> Int {
        guard dataLeft > 0, out.count > 0 else { return 0 }
        let wanted = Int(min(Int64(out.count), dataLeft))
        if bufferStart < buffer.count {
            let n = min(wanted, buffer.count - bufferStart)
            out.copyBytes(from: buffer[bufferStart..<(bufferStart + n)])
            bufferStart += n
            dataLeft -= Int64(n)
            return n
        }
        let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: out[..<wanted]))
        guard n > 0 else { throw ImageError.invalidLayer("tar stream ends inside an entry") }
        dataLeft -= Int64(n)
        return n
    }

    // MARK: - Blocks

    /// Buffers at least `count` bytes; false when the stream ends first.
    private func fill(_ count: Int) throws -> Bool {
        if buffer.count - bufferStart >= count { return true }
        buffer.removeFirst(bufferStart)
        bufferStart = 0
        while buffer.count < count && !sourceEnded {
            let wanted = max(count - buffer.count, 64 << 10)
            let chunk = try source.readUpTo(wanted)
            if chunk.count < wanted { sourceEnded = true }
            buffer.append(contentsOf: chunk)
        }
        return buffer.count >= count
    }

    /// A 512-byte block; nil at a clean end of stream (a tar without its zero blocks).
    private func readBlock() throws -> [UInt8]? {
        guard try fill(512) else {
            if buffer.count == bufferStart { return nil }
            throw ImageError.invalidLayer("tar stream ends inside a header")
        }
        defer { bufferStart += 512 }
        return Array(buffer[bufferStart..<(bufferStart + 512)])
    }

    private func readPayload(_ size: Int) throws -> [UInt8] {
        let padded = (size + 511) / 512 * 512
        guard try fill(padded) else { throw ImageError.invalidLayer("tar stream ends inside a header") }
        defer { bufferStart += padded }
        return Array(buffer[bufferStart..<(bufferStart + size)])
    }

    private func skip(_ count: Int64) throws {
        var left = count
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 1)
        defer { scratch.deallocate() }
        while left > 0 {
            let buffered = Int64(buffer.count - bufferStart)
            if buffered > 0 {
                let n = Int(min(buffered, left))
                bufferStart += n
                left -= Int64(n)
                continue
            }
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[..<Int(min(left, 64 << 10))]))
            guard n > 0 else { throw ImageError.invalidLayer("tar stream ends inside an entry") }
            left -= Int64(n)
        }
    }

    // MARK: - Header fields

    private func makeEntry(_ header: [UInt8], type: UInt8, size: Int64) throws -> TarEntry {
        var name = Self.field(header, 0, 100)
        let magic = Array(header[257..<263])
        // ustar ("ustar\0") keeps a path prefix at 345; GNU ("ustar  ") uses that area for times.
        if magic == Array("ustar\u{0}".utf8) {
            let prefix = Self.field(header, 345, 155)
            if !prefix.isEmpty { name = prefix + "/" + name }
        }
        let kind: TarEntry.Kind = switch type {
        case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): .regular
        case UInt8(ascii: "1"): .hardLink
        case UInt8(ascii: "2"): .symbolicLink
        case UInt8(ascii: "3"): .characterDevice
        case UInt8(ascii: "4"): .blockDevice
        case UInt8(ascii: "5"): .directory
        case UInt8(ascii: "6"): .fifo
        default: .other(type)
        }
        // Old tars mark directories only with a trailing slash.
        let finalKind = kind == .regular && name.hasSuffix("/") ? .directory : kind
        return TarEntry(
            path: name, kind: finalKind, mode: UInt32(truncatingIfNeeded: try number(header, 100, 8)) & 0o7777,
            uid: Int(try number(header, 108, 8)), gid: Int(try number(header, 116, 8)), size: size,
            modificationTime: try number(header, 136, 12), linkName: Self.field(header, 157, 100),
            deviceMajor: UInt32(truncatingIfNeeded: try number(header, 329, 8)),
            deviceMinor: UInt32(truncatingIfNeeded: try number(header, 337, 8)), extendedAttributes: [:])
    }

    private func apply(_ records: [String: [UInt8]], to entry: inout TarEntry) throws {
        for (key, value) in records {
            switch key {
            case "path": entry.path = Self.string(value)
            case "linkpath": entry.linkName = Self.string(value)
            case "size": entry.size = try Self.decimal(value, key)
            case "uid": entry.uid = Int(try Self.decimal(value, key))
            case "gid": entry.gid = Int(try Self.decimal(value, key))
            case "mtime":
                let seconds = Self.string(value).split(separator: ".").first.map(String.init) ?? ""
                entry.modificationTime = Int64(seconds) ?? entry.modificationTime
            default:
                if key.hasPrefix("SCHILY.xattr.") {
                    entry.extendedAttributes[String(key.dropFirst("SCHILY.xattr.".count))] = value
                }
            }
        }
        guard entry.size >= 0 else { throw ImageError.invalidLayer("negative size for \(entry.path)") }
    }

    private func verifyChecksum(_ header: [UInt8]) throws {
        let recorded = try number(header, 148, 8)
        var unsigned: Int64 = 0
        var signed: Int64 = 0
        for (index, byte) in header.enumerated() {
            let value = (148..<156).contains(index) ? UInt8(ascii: " ") : byte
            unsigned += Int64(value)
            signed += Int64(Int8(bitPattern: value))
        }
        guard recorded == unsigned || recorded == signed else {
            throw ImageError.invalidLayer("not a tar stream (bad header checksum)")
        }
    }

    /// An octal field, or GNU base-256 when the high bit of its first byte is set.
    private func number(_ header: [UInt8], _ offset: Int, _ length: Int) throws -> Int64 {
        let bytes = header[offset..<(offset + length)]
        if let first = bytes.first, first & 0x80 != 0 {
            guard first & 0x40 == 0 else { throw ImageError.invalidLayer("negative base-256 number in tar header") }
            var value: Int64 = Int64(first & 0x3f)
            for byte in bytes.dropFirst() {
                guard value < Int64.max >> 8 else { throw ImageError.invalidLayer("tar number overflows") }
                value = value << 8 | Int64(byte)
            }
            return value
        }
        var value: Int64 = 0
        var seenDigit = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                guard value < Int64.max >> 3 else { throw ImageError.invalidLayer("tar number overflows") }
                value = value << 3 | Int64(byte - UInt8(ascii: "0"))
                seenDigit = true
            case 0, UInt8(ascii: " "):
                if seenDigit { return value }
            default:
                throw ImageError.invalidLayer("bad number in tar header")
            }
        }
        return value
    }

    private static func field(_ header: [UInt8], _ offset: Int, _ length: Int) -> String {
        let bytes = header[offset..<(offset + length)]
        return string(Array(bytes.prefix { $0 != 0 }))
    }

    private static func string(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    private static func decimal(_ value: [UInt8], _ key: String) throws -> Int64 {
        guard let number = Int64(string(value)) else { throw ImageError.invalidLayer("bad PAX \(key)") }
        return number
    }

    /// `"%d %s=%s\n"` records; the length counts the whole record.
    static func paxRecords(_ payload: [UInt8]) throws -> [String: [UInt8]] {
        var records: [String: [UInt8]] = [:]
        var index = 0
        while index < payload.count {
            guard let space = payload[index...].firstIndex(of: UInt8(ascii: " ")),
                  let length = Int(String(decoding: payload[index..<space], as: UTF8.self)),
                  length > space - index, index + length <= payload.count else {
                if payload[index...].allSatisfy({ $0 == 0 }) { break }
                throw ImageError.invalidLayer("bad PAX record")
            }
            let record = payload[(space + 1)..<(index + length - 1)] // drop the trailing newline
            if let equals = record.firstIndex(of: UInt8(ascii: "=")) {
                let key = String(decoding: record[record.startIndex..<equals], as: UTF8.self)
                records[key] = Array(record[(equals + 1)...])
            }
            index += length
        }
        return records
    }
}
