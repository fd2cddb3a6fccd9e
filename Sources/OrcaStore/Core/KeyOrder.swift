#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Key order and prefix matching by UTF-8 bytes: the order of SQLite's BINARY collation and of etcd,
/// so that keys with a prefix are contiguous and `/registry/pods/` never matches `/registry/podsx/`.
enum KeyOrder {
    /// Whether `a` sorts before `b`.
    static func precedes(_ a: String, _ b: String) -> Bool {
        compare(a, b) < 0
    }

    /// Whether `key` starts with the bytes of `prefix`.
    static func hasPrefix(_ key: String, _ prefix: String) -> Bool {
        var key = key
        var prefix = prefix
        return key.withUTF8 { k in
            prefix.withUTF8 { p in
                p.count <= k.count && (p.isEmpty || memcmp(k.baseAddress!, p.baseAddress!, p.count) == 0)
            }
        }
    }

    /// Negative, zero or positive as `a` sorts before, equal to or after `b`.
    static func compare(_ a: String, _ b: String) -> Int {
        var a = a
        var b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let common = min(x.count, y.count)
                if common > 0 {
                    let result = memcmp(x.baseAddress!, y.baseAddress!, common)
                    if result != 0 { return Int(result) }
                }
                return x.count - y.count
            }
        }
    }
}
