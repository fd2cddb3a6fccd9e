import Foundation
import OrcaTesting
import Testing

/// `orca minion ARGS...` execs the `orca-minion` beside `orca` (docs/minions.md).
@Suite("orca minion runs orca-minion",
       .enabled(if: BuiltBinaries.available("orca") && BuiltBinaries.available("orca-minion"),
                "orca and orca-minion are not built next to the tests"))
struct OrcaMinionExecutableTests {
    @Test("orca-minion --help lists the minion's options; orca minion --help prints the same, through the exec")
    func help() async throws {
        let direct = try await CommandResult.run(BuiltBinaries.path("orca-minion"), ["--help"])
        #expect(direct.status == 0, "\(direct)")
        #expect(direct.stdout.contains("Run this host's kubelet"), "\(direct)")
        #expect(direct.stdout.contains("USAGE: orca-minion"), "\(direct)")
        for option in ["--master", "--host-ip", "--pod-cidr", "--data-dir", "--listen", "--registry-mirror",
                       "--insecure-registry", "--heartbeat-interval", "--cluster-dns", "--bridge", "--log-level"] {
            #expect(direct.stdout.contains(option), "\(option) missing from \(direct.stdout)")
        }
        let throughOrca = try await CommandResult.run(BuiltBinaries.path("orca"), ["minion", "--help"])
        #expect(throughOrca.status == 0, "\(throughOrca)")
        #expect(throughOrca.stdout == direct.stdout)
    }

    @Test("orca-minion holds none of Foundation's code (FoundationEssentials only), which orca does")
    func noFoundation() throws {
        // Linked statically, a Foundation pulled in by an import would not show in ldd: look for its symbols.
        #expect(try !Self.contains(BuiltBinaries.path("orca-minion"), "$s10Foundation"))
        #expect(try Self.contains(BuiltBinaries.path("orca"), "$s10Foundation"))
    }

    /// Whether the file holds `text`'s bytes (memchr for the first byte, then a compare: fast on 100 MB).
    private static func contains(_ path: String, _ text: String) throws -> Bool {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let needle = Array(text.utf8)
        return data.withUnsafeBytes { bytes in
            guard var cursor = bytes.baseAddress else { return false }
            let end = cursor + bytes.count
            while end - cursor >= needle.count, let hit = memchr(cursor, Int32(needle[0]), end - cursor) {
                let found = UnsafeRawPointer(hit)
                if end - found >= needle.count, memcmp(found, needle, needle.count) == 0 { return true }
                cursor = found + 1
            }
            return false
        }
    }

    @Test("orca minion without orca-minion beside it: one line on stderr and a non-zero exit")
    func missing() async throws {
        let orca = try BuiltBinaries.path("orca")
        // A directory next to the build's, so a hard link works (same file system); a copy otherwise.
        let directory = URL(fileURLWithPath: orca).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("orca-alone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let alone = directory.appendingPathComponent("orca").path
        if link(orca, alone) != 0 { try FileManager.default.copyItem(atPath: orca, toPath: alone) }

        let result = try await CommandResult.run(alone, ["minion", "--help"])
        #expect(result.status != 0, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result)")
        #expect(result.stderr.contains(directory.appendingPathComponent("orca-minion").path), "\(result)")
    }
}
