
#if canImport(Glibc)
import Glibc
#endif

/// A pull-based stream of bytes: layers are read file -> gunzip -> hash -> tar, one
/// buffer at a time, so a layer of any size unpacks in constant memory.
protocol ByteSource: AnyObject {
    /// Fills part of `buffer`; returns 0 only at the end of the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Bytes of a file, from an open descriptor (closed on deinit).
final class FileSource: ByteSource {
    let path: String
    private let fd: Int32

    init(path: String) throws {
        self.path = path
        fd = try FileIO.open(path, O_RDONLY)
    }

    deinit { close(fd) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try FileIO.read(fd, into: buffer, path: path)
    }
}

/// Passes bytes through while hashing them: the sha256 of a layer's uncompressed tar is
/// its diff ID, which the image config lists.
final class HashingSource: ByteSource {
    private let upstream: ByteSource
    private var hasher = SHA256()
    private(set) var count: Int64 = 0

    init(_ upstream: ByteSource) { self.upstream = upstream }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try upstream.read(into: buffer)
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer.prefix(n)))
        count += Int64(n)
        return n
    }

    /// Reads the rest of the stream (a tar's trailing padding counts too) and returns the digest.
    func drainAndFinish() throws -> Digest {
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 1)
        defer { scratch.deallocate() }
        while try read(into: scratch) > 0 {}
        return Digest(hasher.finalize())
    }
}

/// Replays bytes already read, then continues with the upstream: lets the unpacker sniff
/// the gzip magic without losing it.
final class PrefixedSource: ByteSource {
    private var prefix: [UInt8]
    private let upstream: ByteSource

    init(prefix: [UInt8], upstream: ByteSource) {
        self.prefix = prefix
        self.upstream = upstream
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard prefix.isEmpty else {
            let n = min(prefix.count, buffer.count)
            buffer.copyBytes(from: prefix[..<n])
            prefix.removeFirst(n)
            return n
        }
        return try upstream.read(into: buffer)
    }
}

extension ByteSource {
    /// Reads up to `count` bytes, fewer only at the end of the stream.
    func readUpTo(_ count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        try bytes.withUnsafeMutableBytes { raw in
            while filled < count {
                let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]))
                if n == 0 { break }
                filled += n
            }
        }
        return Array(bytes.prefix(filled))
    }
}

/// Wraps `source` in a gunzip stage when it starts with the gzip magic (1f 8b), as
/// containerd does: media types lie often enough (`tar` for gzip, and the reverse).
func decompressingIfNeeded(_ source: ByteSource) throws -> ByteSource {
    let magic = try source.readUpTo(2)
    let replay = PrefixedSource(prefix: magic, upstream: source)
    if magic == [0x1f, 0x8b] { return try GzipSource(replay) }
    if magic == [0x28, 0xb5] { throw ImageError.unsupportedMediaType("zstd-compressed layer") }
    return replay
}
