#if canImport(Glibc)
import Glibc
#endif

/// Applies one layer's tar stream to an empty directory, which becomes an overlayfs lower
/// directory: whiteouts are turned into overlay's own format instead of being applied.
///
/// - `.wh.NAME` becomes a 0/0 character device `NAME` (overlay hides NAME of lower layers);
/// - `.wh..wh..opq` sets `trusted.overlay.opaque=y` on its directory (overlay hides the lower
///   layers' content of that directory); other `.wh..wh.*` (aufs bookkeeping) are dropped.
///
/// Safety: entry names and hard-link targets are resolved lexically inside the directory and
/// refused (``ImageError/unsafePath(_:)``) when `..` climbs out; a leading `/` means the
/// layer's root. Nothing is written through a symlink: every parent of an entry must be a
/// real directory created by this layer, so a layer shipping `etc -> /etc` and then
/// `etc/passwd` is refused rather than writing the host's file. Ownership is kept (the
/// kubelet runs as root); devices are created as the layer says.
final class LayerUnpacker {
    let root: String
    /// Relative paths known to be real directories (so each entry need not lstat every parent).
    private var directories: Set<String> = [""]
    /// Directory times are set last: creating entries inside a directory changes its mtime.
    private var directoryTimes: [(String, Int64)] = []
    private let scratch: UnsafeMutableRawBufferPointer

    init(root: String) {
        self.root = root
        scratch = .allocate(byteCount: 128 << 10, alignment: 1)
    }

    /// Unpacks every entry of `reader` under ``root``.
    deinit { scratch.deallocate() }

    func unpack(_ reader: TarReader) throws {
        while let entry = try reader.next() {
            try apply(entry, reader)
        }
        for (path, time) in directoryTimes.reversed() { setTime(path, time) }
    }

    private func apply(_ entry: TarEntry, _ reader: TarReader) throws {
        let components = try Self.clean(entry.path)
        guard let name = components.last else {
            // "./": the layer's root directory itself.
            if entry.kind == .directory { try setOwnerAndMode(root, entry, isSymlink: false) }
            return
        }
        let parent = components.dropLast().joined(separator: "/")
        try ensureDirectory(parent, creating: true)
        let parentPath = parent.isEmpty ? root : root + "/" + parent
        let relative = components.joined(separator: "/")
        let path = root + "/" + relative

        if name.hasPrefix(".wh.") {
            if name == ".wh..wh..opq" {
                try ExtendedAttributes.set(ExtendedAttributes.overlayOpaque, Array("y".utf8), on: parentPath)
            } else if !name.hasPrefix(".wh..wh."), ![".wh.", ".wh..", ".wh..."].contains(name) {
                let hidden = parent.isEmpty ? String(name.dropFirst(4)) : parent + "/" + name.dropFirst(4)
                try removeExisting(hidden)
                guard mknod(root + "/" + hidden, S_IFCHR | 0o000, 0) == 0 else {
                    throw ImageError.io("mknod whiteout \(hidden)", errno)
                }
            }
            return
        }

        switch entry.kind {
        case .directory:
            var info = stat()
            if lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR {
                // An existing directory is kept with its content; only its metadata changes.
            } else {
                try removeExisting(relative)
                guard mkdir(path, 0o700) == 0 else { throw ImageError.io("mkdir \(path)", errno) }
            }
            directories.insert(relative)
            try setOwnerAndMode(path, entry, isSymlink: false)
            directoryTimes.append((path, entry.modificationTime))
        case .regular:
            try removeExisting(relative)
            try writeFile(path, entry, reader)
        case .symbolicLink:
            try removeExisting(relative)
            guard symlink(entry.linkName, path) == 0 else { throw ImageError.io("symlink \(path)", errno) }
            try setOwnerAndMode(path, entry, isSymlink: true)
        case .hardLink:
            let target = try Self.clean(entry.linkName)
            guard !target.isEmpty else { throw ImageError.unsafePath(entry.linkName) }
            try ensureDirectory(target.dropLast().joined(separator: "/"), creating: false)
            let targetPath = root + "/" + target.joined(separator: "/")
            var info = stat()
            guard lstat(targetPath, &info) == 0, info.st_mode & S_IFMT != S_IFDIR else {
                throw ImageError.invalidLayer("hard link \(entry.path) to missing \(entry.linkName)")
            }
            try removeExisting(relative)
            guard link(targetPath, path) == 0 else { throw ImageError.io("link \(path)", errno) }
        case .characterDevice, .blockDevice, .fifo:
            try removeExisting(relative)
            let type: mode_t = entry.kind == .fifo ? S_IFIFO : entry.kind == .blockDevice ? S_IFBLK : S_IFCHR
            let device = Self.makeDevice(entry.deviceMajor, entry.deviceMinor)
            guard mknod(path, type | mode_t(entry.mode), device) == 0 else {
                // Without CAP_MKNOD (a rootless kubelet) devices are left out, as containerd does;
                // runc mounts the devices a container needs itself.
                if errno == EPERM { return }
                throw ImageError.io("mknod \(path)", errno)
            }
            try setOwnerAndMode(path, entry, isSymlink: false)
        case .other:
            return
        }
        // overlayfs's own attributes (opaque, redirect, metacopy) come only from whiteouts:
        // a layer setting them directly could make overlay show what no layer contains.
        for (key, value) in entry.extendedAttributes where !key.hasPrefix("trusted.overlay.") {
            // Best effort, as tar does: a file system without user xattrs still gets the file.
            try? ExtendedAttributes.set(key, value, on: path)
        }
    }

    private func writeFile(_ path: String, _ entry: TarEntry, _ reader: TarReader) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ImageError.io("create \(path)", errno) }
        defer { close(fd) }
        while true {
            let n = try reader.read(into: scratch)
            if n == 0 { break }
            try FileIO.writeAll(fd, UnsafeRawBufferPointer(rebasing: scratch[..<n]), path: path)
        }
        // chown before chmod: chown clears the setuid and setgid bits.
        guard fchown(fd, uid_t(clamping: entry.uid), gid_t(clamping: entry.gid)) == 0 else {
            throw ImageError.io("chown \(path)", errno)
        }
        guard fchmod(fd, mode_t(entry.mode)) == 0 else { throw ImageError.io("chmod \(path)", errno) }
        var times = [timespec(tv_sec: Int(entry.modificationTime), tv_nsec: 0),
                     timespec(tv_sec: Int(entry.modificationTime), tv_nsec: 0)]
        futimens(fd, &times)
    }

    private func setOwnerAndMode(_ path: String, _ entry: TarEntry, isSymlink: Bool) throws {
        guard lchown(path, uid_t(clamping: entry.uid), gid_t(clamping: entry.gid)) == 0 else {
            throw ImageError.io("chown \(path)", errno)
        }
        if isSymlink {
            setTime(path, entry.modificationTime)
        } else {
            guard chmod(path, mode_t(entry.mode)) == 0 else { throw ImageError.io("chmod \(path)", errno) }
        }
    }

    private func setTime(_ path: String, _ seconds: Int64) {
        var times = [timespec(tv_sec: Int(seconds), tv_nsec: 0), timespec(tv_sec: Int(seconds), tv_nsec: 0)]
        utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW)
    }

    /// Makes sure `relative` is a real directory (no symlink anywhere on the way), creating
    /// missing ones as root-owned 0755 when `creating` is set, as Docker does for parents
    /// a layer does not list.
    private func ensureDirectory(_ relative: String, creating: Bool) throws {
        if directories.contains(relative) { return }
        var current = ""
        for component in relative.split(separator: "/") {
            current = current.isEmpty ? String(component) : current + "/" + component
            if directories.contains(current) { continue }
            let path = root + "/" + current
            var info = stat()
            if lstat(path, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFDIR else { throw ImageError.unsafePath(current) }
            } else if creating && errno == ENOENT {
                guard mkdir(path, 0o755) == 0 else { throw ImageError.io("mkdir \(path)", errno) }
            } else {
                throw ImageError.invalidLayer("\(current) is missing")
            }
            directories.insert(current)
        }
    }

    /// Removes whatever is at `relative` (a later entry replaces an earlier one).
    private func removeExisting(_ relative: String) throws {
        let path = root + "/" + relative
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR {
            try FileIO.removeTree(path)
            directories = directories.filter { $0 != relative && !$0.hasPrefix(relative + "/") }
        } else {
            guard unlink(path) == 0 else { throw ImageError.io("unlink \(path)", errno) }
        }
    }

    /// The components of a tar path inside the layer; `..` that leaves the layer is refused.
    static func clean(_ path: String) throws -> [String] {
        var components: [String] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..":
                guard !components.isEmpty else { throw ImageError.unsafePath(path) }
                components.removeLast()
            default:
                components.append(String(component))
            }
        }
        return components
    }

    /// glibc's `makedev` (a macro Swift cannot import).
    static func makeDevice(_ major: UInt32, _ minor: UInt32) -> dev_t {
        let major = UInt64(major)
        let minor = UInt64(minor)
        return dev_t((major & 0xfff) << 8 | (major & ~0xfff) << 32 | (minor & 0xff) | (minor & ~0xff) << 12)
    }
}
