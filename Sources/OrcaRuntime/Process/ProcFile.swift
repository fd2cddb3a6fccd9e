#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads files of /proc whole. They report a size of 0, and Foundation's
/// `String(contentsOfFile:)` then stops after its first read (about 4 KB): a busy host's
/// /proc/self/mountinfo is far longer, and the mounts past that point would be missed.
public enum ProcFile {
    public static func read(_ path: String) -> String? {
        guard let data = try? FileIO.read(path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// This process's mount table (`/proc/self/mountinfo`), "" when unreadable.
    public static var mountInfo: String { read("/proc/self/mountinfo") ?? "" }
}
