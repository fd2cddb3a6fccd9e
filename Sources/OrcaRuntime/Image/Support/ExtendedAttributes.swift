#if canImport(Glibc)
import Glibc
#endif

/// `lsetxattr(2)` / `lgetxattr(2)`, found with dlsym: Swift's Glibc module does not include
/// `<sys/xattr.h>`, and the functions are plain C ABI, so a typed function pointer is exact.
enum ExtendedAttributes {
    private typealias SetFunction = @convention(c) (
        UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafeRawPointer?, Int, Int32
    ) -> Int32
    private typealias GetFunction = @convention(c) (
        UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafeMutableRawPointer?, Int
    ) -> Int

    private static let setter: SetFunction? = dlsym(dlopen(nil, RTLD_NOW), "lsetxattr").map {
        unsafeBitCast($0, to: SetFunction.self)
    }
    private static let getter: GetFunction? = dlsym(dlopen(nil, RTLD_NOW), "lgetxattr").map {
        unsafeBitCast($0, to: GetFunction.self)
    }

    /// Sets `name` on `path` itself (a symlink is not followed).
    static func set(_ name: String, _ value: [UInt8], on path: String) throws {
        guard let setter else { throw ImageError.io("lsetxattr \(name) on \(path)", ENOSYS) }
        let rc = value.withUnsafeBytes { setter(path, name, $0.baseAddress, $0.count, 0) }
        guard rc == 0 else { throw ImageError.io("lsetxattr \(name) on \(path)", errno) }
    }

    /// The value of `name` on `path`, nil when it has none.
    static func get(_ name: String, on path: String) -> [UInt8]? {
        guard let getter else { return nil }
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = buffer.withUnsafeMutableBytes { getter(path, name, $0.baseAddress, $0.count) }
        return n >= 0 ? Array(buffer.prefix(n)) : nil
    }

    /// overlayfs marks a directory that hides the lower layers' content with this attribute.
    static let overlayOpaque = "trusted.overlay.opaque"
}
