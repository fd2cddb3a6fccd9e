#if canImport(Glibc)
import Glibc
#endif
import CRuntimeShims

/// `lsetxattr(2)` / `lgetxattr(2)` through CRuntimeShims: Swift's Glibc module does not
/// include `<sys/xattr.h>`.
enum ExtendedAttributes {
    /// Sets `name` on `path` itself (a symlink is not followed).
    static func set(_ name: String, _ value: [UInt8], on path: String) throws {
        let rc = value.withUnsafeBytes { orca_lsetxattr(path, name, $0.baseAddress, $0.count, 0) }
        guard rc == 0 else { throw ImageError.io("lsetxattr \(name) on \(path)", errno) }
    }

    /// The value of `name` on `path`, nil when it has none.
    static func get(_ name: String, on path: String) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = buffer.withUnsafeMutableBytes { Int(orca_lgetxattr(path, name, $0.baseAddress, $0.count)) }
        return n >= 0 ? Array(buffer.prefix(n)) : nil
    }

    /// overlayfs marks a directory that hides the lower layers' content with this attribute.
    static let overlayOpaque = "trusted.overlay.opaque"
}
