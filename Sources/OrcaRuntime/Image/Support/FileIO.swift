#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#endif

/// Small wrappers over the system calls the store uses, each throwing ``ImageError/io(_:_:)``
/// with the path it was about.
enum FileIO {
    /// Writes all of `buffer` to `fd`, retrying short writes and EINTR.
    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String) throws {
        guard var base = buffer.baseAddress else { return }
        var left = buffer.count
        while left > 0 {
            let n = Glibc.write(fd, base, left)
            if n < 0 {
                if errno == EINTR { continue }
                throw ImageError.io("write \(path)", errno)
            }
            base += n
            left -= n
        }
    }

    /// Reads up to `buffer.count` bytes; 0 at end of file.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        while true {
            let n = Glibc.read(fd, base, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw ImageError.io("read \(path)", errno) }
        }
    }

    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws -> Int32 {
        let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
        guard fd >= 0 else { throw ImageError.io("open \(path)", errno) }
        return fd
    }

    /// Creates `path` and its parents (0755); an existing directory is fine.
    static func makeDirectories(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ImageError.io("mkdir \(path)", errno == 0 ? EIO : errno)
        }
    }

    /// Removes `path` and everything under it without following symlinks; absent is fine.
    static func removeTree(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw ImageError.io("lstat \(path)", errno)
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            let names = try list(path)
            for name in names { try removeTree(path + "/" + name) }
            guard rmdir(path) == 0 || errno == ENOENT else { throw ImageError.io("rmdir \(path)", errno) }
        } else {
            guard unlink(path) == 0 || errno == ENOENT else { throw ImageError.io("unlink \(path)", errno) }
        }
    }

    /// The entries of directory `path` (not `.` and `..`).
    static func list(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw ImageError.io("opendir \(path)", errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            // d_name is a fixed char array holding a NUL-terminated name.
            let name = withUnsafePointer(to: entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)) {
                    String(cString: $0)
                }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Bytes used by the tree at `path` (regular files' sizes; directories count nothing).
    static func treeSize(_ path: String) -> Int64 {
        var info = stat()
        guard lstat(path, &info) == 0 else { return 0 }
        if info.st_mode & S_IFMT == S_IFDIR {
            return ((try? list(path)) ?? []).reduce(0) { $0 + treeSize(path + "/" + $1) }
        }
        return info.st_mode & S_IFMT == S_IFREG ? Int64(info.st_size) : 0
    }

    /// The file's bytes, at most `limit` of them (more than `limit` when the file is longer: the caller
    /// can tell). Reads until end of file whatever size it reports, as /proc's files report 0.
    static func read(_ path: String, limit: Int = .max) throws -> Data {
        let fd = try open(path, O_RDONLY)
        defer { close(fd) }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while data.count <= limit {
            let n = try chunk.withUnsafeMutableBytes { try read(fd, into: $0, path: path) }
            if n == 0 { break }
            data.append(contentsOf: chunk[..<n])
        }
        return data
    }

    /// `rename(2)`: atomic within one file system.
    static func rename(_ from: String, _ to: String) throws {
        guard Glibc.rename(from, to) == 0 else { throw ImageError.io("rename \(from) to \(to)", errno) }
    }

    /// Whether a work file named `<prefix><pid>-...` belongs to a process that is gone (so
    /// it is debris of a crash) rather than to a live process sharing the store.
    static func isAbandoned(_ name: String, prefix: String) -> Bool {
        guard name.hasPrefix(prefix),
              let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" }) else { return false }
        return pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Writes `data` to `path` through a temporary file and a rename, so readers see the
    /// old or the new content and never a torn file.
    static func writeAtomically(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = try open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC)
        do {
            try data.withUnsafeBytes { try writeAll(fd, $0, path: temporary) }
            guard fsync(fd) == 0 else { throw ImageError.io("fsync \(temporary)", errno) }
            close(fd)
            try rename(temporary, path)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
    }
}
