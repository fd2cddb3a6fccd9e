import Foundation
import Glibc
import OrcaRuntime

/// The last resort of the cleanup: whatever is still mounted under a run's temp directory.
enum Mounts {
    /// Mount points under `prefix`, from all of /proc/self/mountinfo. (Foundation's
    /// `String(contentsOfFile:)` returns only the first read() of a /proc file, about 4 KB: on a
    /// machine with many mounts it misses most of them.)
    static func points(under prefix: String) -> [String] {
        let descriptor = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return [] }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count > 4, fields[4].hasPrefix(prefix) else { return nil }
            return String(fields[4])
        }
    }

    /// Unmounts (lazily) every mount under `directory`, then removes the directory; how many there were.
    static func sweep(under directory: String) async -> Int {
        let points = points(under: directory)
        for point in points.reversed() { _ = try? await Command("/usr/bin/umount", ["-l", point]).output() }
        try? FileManager.default.removeItem(atPath: directory)
        return points.count
    }
}
