#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#endif

/// Unpacked layers under `<root>/layers/sha256/<diff ID hex>`, one directory per layer,
/// shared by every image and container that uses it (they are overlay lower directories,
/// never written after unpacking).
///
/// A layer is unpacked into `<root>/layers/tmp-*` and renamed into place once complete and
/// verified, so a directory under its final name is always whole. Named by diff ID (the
/// digest of the uncompressed tar) rather than by blob digest, so the same layer arriving
/// gzip from a registry and plain from `docker save` is one directory. Who may unpack what
/// when is decided by ``ImageStore`` (one unpack per layer at a time).
public struct LayerStore: Sendable {
    let directory: String
    let staging: String

    public init(root: URL) throws {
        directory = root.appendingPathComponent("layers/sha256").path
        staging = root.appendingPathComponent("layers").path
        try FileIO.makeDirectories(directory)
    }

    /// The directory of the layer with this diff ID (whether or not it is unpacked).
    public func path(for diffID: Digest) -> String { directory + "/" + diffID.hex }

    public func contains(_ diffID: Digest) -> Bool { FileIO.exists(path(for: diffID)) }

    /// Unpacks the tar (plain or gzip) in `blob` as layer `diffID`. The uncompressed stream
    /// must hash to `diffID`, or nothing is kept and ``ImageError/digestMismatch(expected:actual:)``
    /// is thrown. Blocking: call off the cooperative pool.
    /// - Returns: the uncompressed size.
    @discardableResult
    public func unpack(blob: String, diffID: Digest) throws -> Int64 {
        if contains(diffID) { return 0 }
        let temporary = staging + "/tmp-\(getpid())-\(diffID.short)-\(UInt64.random(in: 0...UInt64.max))"
        guard mkdir(temporary, 0o755) == 0 else { throw ImageError.io("mkdir \(temporary)", errno) }
        do {
            let hashed = HashingSource(try decompressingIfNeeded(try FileSource(path: blob)))
            try LayerUnpacker(root: temporary).unpack(TarReader(source: hashed))
            let actual = try hashed.drainAndFinish()
            guard actual == diffID else { throw ImageError.digestMismatch(expected: diffID, actual: actual) }
            // Another process sharing the root may have won the race; its copy is identical.
            if Glibc.rename(temporary, path(for: diffID)) != 0 {
                let error = errno
                try FileIO.removeTree(temporary)
                guard contains(diffID) else { throw ImageError.io("rename \(temporary)", error) }
            }
            return hashed.count
        } catch {
            try? FileIO.removeTree(temporary)
            throw error
        }
    }

    /// Every unpacked layer's diff ID.
    public func all() throws -> [Digest] { try FileIO.list(directory).compactMap { Digest("sha256:" + $0) } }

    /// Removes an unpacked layer; returns the bytes freed.
    @discardableResult
    public func delete(_ diffID: Digest) throws -> Int64 {
        let path = path(for: diffID)
        let size = FileIO.treeSize(path)
        try FileIO.removeTree(path)
        return size
    }

    /// Removes half-unpacked layers whose process is gone (a crash).
    public func removeStaging() throws {
        for name in try FileIO.list(staging) where FileIO.isAbandoned(name, prefix: "tmp-") {
            try FileIO.removeTree(staging + "/" + name)
        }
    }
}
