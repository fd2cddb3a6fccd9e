#if canImport(Glibc)
import Glibc
#endif

/// Copies one unpacked layer onto a root file system being assembled, applying the layer's
/// overlay-format whiteouts the way overlayfs would: a 0/0 character device deletes the
/// path below, an opaque directory (`trusted.overlay.opaque=y`) empties what lower layers
/// put there before its own content is copied. Owners, modes, times and hard links within
/// the layer are kept. Nothing is written through a symlink: each path is examined with
/// lstat and replaced when its kind differs.
struct LayerCopier {
    let target: String

    func copy(layer: String) throws {
        if ExtendedAttributes.get(ExtendedAttributes.overlayOpaque, on: layer) == Array("y".utf8) {
            for child in try FileIO.list(target) { try FileIO.removeTree(target + "/" + child) }
        }
        var links: [Inode: String] = [:]
        try copyDirectory(layer, "", &links)
    }

    private struct Inode: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    private func copyDirectory(_ layer: String, _ relative: String, _ links: inout [Inode: String]) throws {
        for name in try FileIO.list(layer + relative).sorted() {
            let path = relative + "/" + name
            let source = layer + path
            let destination = target + path
            var info = stat()
            guard lstat(source, &info) == 0 else { throw ImageError.io("lstat \(source)", errno) }
            let type = info.st_mode & S_IFMT
            if type == S_IFCHR && info.st_rdev == 0 {
                try FileIO.removeTree(destination)
                continue
            }
            var existing = stat()
            let exists = lstat(destination, &existing) == 0
            if type == S_IFDIR {
                if exists && existing.st_mode & S_IFMT == S_IFDIR {
                    if ExtendedAttributes.get(ExtendedAttributes.overlayOpaque, on: source) == Array("y".utf8) {
                        for child in try FileIO.list(destination) { try FileIO.removeTree(destination + "/" + child) }
                    }
                } else {
                    try FileIO.removeTree(destination)
                    guard mkdir(destination, 0o700) == 0 else { throw ImageError.io("mkdir \(destination)", errno) }
                }
                try copyDirectory(layer, path, &links)
                try setMetadata(destination, info, symlink: false)
                continue
            }
            try FileIO.removeTree(destination)
            let inode = Inode(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
            if type == S_IFREG, info.st_nlink > 1, let first = links[inode] {
                guard link(first, destination) == 0 else { throw ImageError.io("link \(destination)", errno) }
                continue
            }
            switch type {
            case S_IFREG:
                try copyFile(source, destination)
                if info.st_nlink > 1 { links[inode] = destination }
            case S_IFLNK:
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let n = readlink(source, &buffer, buffer.count - 1)
                guard n >= 0 else { throw ImageError.io("readlink \(source)", errno) }
                let linkTarget = String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
                guard symlink(linkTarget, destination) == 0 else {
                    throw ImageError.io("symlink \(destination)", errno)
                }
            default:
                guard mknod(destination, info.st_mode, info.st_rdev) == 0 else {
                    throw ImageError.io("mknod \(destination)", errno)
                }
            }
            try setMetadata(destination, info, symlink: type == S_IFLNK)
        }
    }

    private func copyFile(_ source: String, _ destination: String) throws {
        let input = try FileIO.open(source, O_RDONLY)
        defer { close(input) }
        let output = try FileIO.open(destination, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: 0o600)
        defer { close(output) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 128 << 10, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            let n = try FileIO.read(input, into: buffer, path: source)
            if n == 0 { break }
            try FileIO.writeAll(output, UnsafeRawBufferPointer(rebasing: buffer[..<n]), path: destination)
        }
    }

    private func setMetadata(_ path: String, _ info: stat, symlink: Bool) throws {
        guard lchown(path, info.st_uid, info.st_gid) == 0 else { throw ImageError.io("chown \(path)", errno) }
        if !symlink {
            guard chmod(path, info.st_mode & 0o7777) == 0 else { throw ImageError.io("chmod \(path)", errno) }
        }
        var times = [info.st_atim, info.st_mtim]
        utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW)
    }
}
