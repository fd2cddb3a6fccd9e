#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#endif

/// The tags and pinned digests of the store: reference -> what it resolved to, kept in
/// `<root>/references.json`. Owned by ``ImageStore``.
///
/// The file is replaced atomically (a crash leaves the old or the new one, never a torn
/// one). Changes are read-modify-write under an exclusive `flock` on `references.lock`,
/// and reads re-load the file when its inode, size or mtime changed, so an `orca image
/// load` in another process and the running minion see each other's references instead of
/// overwriting them.
struct ReferenceIndex {
    struct Record: Codable, Hashable {
        /// The digest the reference resolved to (index, manifest list, or manifest).
        var target: Digest
        /// The single-platform manifest chosen from it.
        var manifest: Digest
    }

    private struct File: Codable {
        var version = 1
        var references: [String: Record]
    }

    /// What identifies one version of the file.
    private struct Stamp: Equatable {
        var inode: UInt64
        var size: Int64
        var seconds: Int
        var nanoseconds: Int
    }

    let path: String
    private let lockPath: String
    private(set) var records: [String: Record] = [:]
    private var loaded: Stamp?

    init(path: String) throws {
        self.path = path
        lockPath = path.replacing(".json", with: "") + ".lock"
        try load()
    }

    /// Re-reads the file if another process replaced it since.
    mutating func refresh() throws {
        if stamp() != loaded { try load() }
    }

    /// Sets or replaces `reference`.
    mutating func set(_ reference: String, _ record: Record) throws {
        try update { $0[reference] = record }
    }

    /// Removes `references` (absent ones are ignored).
    mutating func remove(_ references: some Sequence<String>) throws {
        try update { records in
            for reference in references { records.removeValue(forKey: reference) }
        }
    }

    private mutating func update(_ change: (inout [String: Record]) -> Void) throws {
        let fd = try FileIO.open(lockPath, O_RDWR | O_CREAT)
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { throw ImageError.io("flock \(lockPath)", errno) }
        defer { flock(fd, LOCK_UN) }
        try load()
        var changed = records
        change(&changed)
        guard changed != records else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileIO.writeAtomically(try encoder.encode(File(references: changed)), to: path)
        records = changed
        loaded = stamp()
    }

    private mutating func load() throws {
        let before = stamp()
        guard before != nil else {
            records = [:]
            loaded = nil
            return
        }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            records = try JSONDecoder().decode(File.self, from: data).references
        } catch {
            throw ImageError.invalidManifest("cannot read \(path): \(error)")
        }
        loaded = before
    }

    private func stamp() -> Stamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Stamp(inode: UInt64(info.st_ino), size: Int64(info.st_size), seconds: info.st_mtim.tv_sec,
                     nanoseconds: info.st_mtim.tv_nsec)
    }
}
