#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#endif

/// A container's root file system made from an image: an overlay mount over the image's
/// shared layers where the kernel allows it, else a private copy of them.
///
/// Files beside the target `<path>`: `<path>.upper` and `<path>.work` (overlay's upper and
/// work directories: the container's writes). ``remove(at:)`` takes all three away, mount
/// included, and needs only the path, so a restarted kubelet can clean up what an earlier
/// one made.
public struct Rootfs: Sendable, Hashable {
    public enum Kind: String, Sendable {
        /// overlayfs with the image's layers as lower directories (nothing copied).
        case overlay
        /// The layers copied into the target in order, whiteouts applied.
        case copy
    }

    /// The root for the container (`root.path` of the OCI bundle).
    public let path: URL
    public let kind: Kind

    /// How to build it.
    public enum Mode: Sendable {
        /// overlay, falling back to a copy if the mount fails.
        case automatic
        case overlay
        case copy
    }

    /// Makes the root file system of `image` at `path` (which must not exist yet).
    ///
    /// Blocking (a copy takes as long as the image is large). The layers must stay in the
    /// store while an overlay rootfs exists: keep the image in ``ImageStore/prune(keeping:)``.
    public static func make(for image: Image, at path: URL, mode: Mode = .automatic) throws -> Rootfs {
        let target = path.path
        guard !FileIO.exists(target) else { throw ImageError.io("rootfs \(target)", EEXIST) }
        // Upper and work directories without their target are debris of a crash mid-make.
        for suffix in [".upper", ".work"] { try FileIO.removeTree(target + suffix) }
        try FileIO.makeDirectories(path.deletingLastPathComponent().path)
        if mode != .copy {
            do {
                try mountOverlay(image, at: target)
                return Rootfs(path: path, kind: .overlay)
            } catch {
                try? remove(at: path)
                if mode == .overlay { throw error }
            }
        }
        do {
            guard mkdir(target, 0o755) == 0 else { throw ImageError.io("mkdir \(target)", errno) }
            for layer in image.layers { try LayerCopier(target: target).copy(layer: layer.path) }
            return Rootfs(path: path, kind: .copy)
        } catch {
            try? remove(at: path)
            throw error
        }
    }

    /// Unmounts and deletes this root file system and its upper and work directories.
    public func remove() throws { try Self.remove(at: path) }

    /// Unmounts (if mounted) and deletes `path`, `path.upper` and `path.work`; absent parts
    /// are fine. Refuses to delete a target that stays mounted, so a layer below is never
    /// deleted through it.
    public static func remove(at path: URL) throws {
        let target = path.path
        if isMountPoint(target) {
            if umount2(target, 0) != 0 {
                let error = errno
                // Busy (a process still has a file open): detach now, the kernel frees it later.
                guard error == EBUSY, umount2(target, Int32(MNT_DETACH)) == 0 else {
                    throw ImageError.mount("unmount \(target)", error)
                }
            }
        }
        guard !isMountPoint(target) else { throw ImageError.mount("unmount \(target)", EBUSY) }
        for suffix in ["", ".upper", ".work"] { try FileIO.removeTree(target + suffix) }
    }

    private static func mountOverlay(_ image: Image, at target: String) throws {
        guard !image.layers.isEmpty else { throw ImageError.mount("overlay of an image without layers", EINVAL) }
        let upper = target + ".upper"
        let work = target + ".work"
        for directory in [target, upper, work] {
            guard mkdir(directory, 0o755) == 0 else { throw ImageError.io("mkdir \(directory)", errno) }
        }
        let lower = image.lowerDirectories.map(\.path).joined(separator: ":")
        let options = "lowerdir=\(lower),upperdir=\(upper),workdir=\(work)"
        // mount(2) takes one page of options; an image with very many layers needs the copy.
        guard options.utf8.count < 4000 else { throw ImageError.mount("overlay options too long", E2BIG) }
        guard mount("overlay", target, "overlay", 0, options) == 0 else {
            throw ImageError.mount("mount overlay on \(target)", errno)
        }
    }

    /// Whether `path` is a mount point, from /proc/self/mountinfo (field 5, octal-escaped).
    static func isMountPoint(_ path: String) -> Bool {
        guard let info = ProcFile.read("/proc/self/mountinfo") else { return false }
        let resolved = URL(fileURLWithPath: path).standardizedFileURL.path
        return info.split(separator: "\n").contains { line in
            let fields = line.split(separator: " ")
            return fields.count > 4 && unescape(fields[4]) == resolved
        }
    }

    private static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var bytes: [UInt8] = []
        var index = field.utf8.startIndex
        let utf8 = field.utf8
        while index < utf8.endIndex {
            if utf8[index] == UInt8(ascii: "\\"), let end = utf8.index(index, offsetBy: 4, limitedBy: utf8.endIndex),
               let value = UInt8(String(decoding: utf8[utf8.index(after: index)..<end], as: UTF8.self), radix: 8) {
                bytes.append(value)
                index = end
            } else {
                bytes.append(utf8[index])
                index = utf8.index(after: index)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
