#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#endif

/// Blobs by digest under `<root>/blobs/sha256/<hex>`, each verified before it gets its name.
///
/// Content arrives through a ``BlobWriter``: bytes go to a temporary file under
/// `<root>/ingest/` while they are hashed, and only a blob whose sha256 matches what was
/// asked for is renamed into place (same file system, so the rename is atomic). A crash or
/// a mismatch leaves at most a temporary file, removed by ``removeIngests()`` at start.
/// The type holds no mutable state and is safe from any thread; two writers of the same
/// digest race harmlessly, since both rename identical bytes to the same name.
public struct ContentStore: Sendable {
    /// The directory holding `blobs/` and `ingest/`.
    public let root: URL
    let blobs: String
    let ingest: String

    public init(root: URL) throws {
        self.root = root
        blobs = root.appendingPathComponent("blobs/sha256").path
        ingest = root.appendingPathComponent("ingest").path
        try FileIO.makeDirectories(blobs)
        try FileIO.makeDirectories(ingest)
    }

    /// Where the blob `digest` lives (whether or not it is there).
    public func path(for digest: Digest) -> String { blobs + "/" + digest.hex }

    public func contains(_ digest: Digest) -> Bool { FileIO.exists(path(for: digest)) }

    /// Starts writing a blob.
    public func writer() throws -> BlobWriter { try BlobWriter(directory: ingest) }

    /// Stores `data`, checked against `expected` when given; returns its digest.
    @discardableResult
    public func write(_ data: Data, expected: Digest? = nil) throws -> Digest {
        let digest = Digest.of(data)
        if let expected, expected != digest { throw ImageError.digestMismatch(expected: expected, actual: digest) }
        if contains(digest) { return digest }
        let writer = try writer()
        try data.withUnsafeBytes { try writer.write($0) }
        return try commit(writer, expected: digest).digest
    }

    /// Verifies what `writer` received and names it; throws ``ImageError/digestMismatch(expected:actual:)``
    /// (and removes the temporary file) when it is not `expected`.
    @discardableResult
    public func commit(_ writer: BlobWriter, expected: Digest?) throws -> (digest: Digest, size: Int64) {
        let (digest, size) = try writer.finish()
        if let expected, expected != digest {
            writer.abort()
            throw ImageError.digestMismatch(expected: expected, actual: digest)
        }
        try FileIO.rename(writer.path, path(for: digest))
        writer.committed()
        return (digest, size)
    }

    /// Reads a small blob (a manifest or config) whole, re-verifying its digest so that a
    /// damaged file on disk is noticed rather than parsed. A damaged blob is deleted, so the
    /// next pull fetches it again instead of trusting the name.
    public func read(_ digest: Digest, limit: Int = 4 << 20) throws -> Data {
        let path = path(for: digest)
        let data = try FileIO.read(path, limit: limit)
        guard data.count <= limit else {
            throw ImageError.invalidManifest("blob \(digest) is larger than \(limit) bytes")
        }
        let actual = Digest.of(data)
        guard actual == digest else {
            unlink(path)
            throw ImageError.digestMismatch(expected: digest, actual: actual)
        }
        return data
    }

    /// The size on disk of a blob, nil when absent.
    public func size(of digest: Digest) -> Int64? {
        var info = stat()
        return lstat(path(for: digest), &info) == 0 ? Int64(info.st_size) : nil
    }

    /// Every stored digest.
    public func all() throws -> [Digest] { try FileIO.list(blobs).compactMap { Digest("sha256:" + $0) } }

    /// Removes a blob; returns the bytes freed.
    @discardableResult
    public func delete(_ digest: Digest) throws -> Int64 {
        let size = self.size(of: digest) ?? 0
        guard unlink(path(for: digest)) == 0 || errno == ENOENT else {
            throw ImageError.io("unlink \(path(for: digest))", errno)
        }
        return size
    }

    /// Removes temporary files of writes whose process is gone (a crash, a killed kubelet);
    /// those of live processes sharing the store are theirs.
    public func removeIngests() throws {
        for name in try FileIO.list(ingest) where FileIO.isAbandoned(name, prefix: "blob-") {
            try FileIO.removeTree(ingest + "/" + name)
        }
    }
}

/// A blob being written: bytes are hashed as they are appended to a temporary file.
///
/// Not thread-safe; one task writes it. Dropping it without ``ContentStore/commit(_:expected:)``
/// removes the temporary file.
public final class BlobWriter: @unchecked Sendable {
    let path: String
    private var fd: Int32
    private var hasher = SHA256()
    public private(set) var bytesWritten: Int64 = 0
    private var done = false

    init(directory: String) throws {
        path = directory + "/blob-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        fd = try FileIO.open(path, O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
    }

    deinit { abort() }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        hasher.update(bufferPointer: bytes)
        try FileIO.writeAll(fd, bytes, path: path)
        bytesWritten += Int64(bytes.count)
    }

    /// Flushes to disk and returns the digest of everything written.
    func finish() throws -> (Digest, Int64) {
        guard fsync(fd) == 0 else { throw ImageError.io("fsync \(path)", errno) }
        close(fd)
        fd = -1
        return (Digest(hasher.finalize()), bytesWritten)
    }

    func committed() { done = true }

    /// Drops the temporary file.
    public func abort() {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
        if !done {
            unlink(path)
            done = true
        }
    }
}
