import Foundation
@testable import OrcaRuntime
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Layer unpacking through the public ``LayerStore`` and ``ContentStore``, with tars made
/// by ``ImageTarBuilder``. Needs root (ownership, device nodes, trusted xattrs).
@Suite("layer unpacking and the content store",
       .enabled(if: getuid() == 0 || ProcessInfo.processInfo.environment["CI"] == "true", "layer tests need root"))
struct ImageLayerTests {
    /// A fresh store root, removed after `body`.
    func withRoot<R>(_ body: (URL) throws -> R) throws -> R {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("orca-layer-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: root) }
        return try body(root)
    }

    /// Writes `blob` (by default the plain tar) as a file and unpacks it as layer `diffID`
    /// (by default the tar's).
    func unpack(_ builder: ImageTarBuilder, in root: URL, blob data: Data? = nil,
                diffID: Digest? = nil) throws -> String {
        let layers = try LayerStore(root: root)
        let blob = root.appendingPathComponent("blob").path
        try (data ?? builder.tar).write(to: URL(fileURLWithPath: blob))
        let id = diffID ?? builder.diffID
        try layers.unpack(blob: blob, diffID: id)
        return layers.path(for: id)
    }

    /// `gzip -n` of `data`, through the reaper like every child process here.
    func gzip(_ data: Data) async throws -> Data {
        try await Command("/bin/gzip", ["-n", "-c"]).run(stdin: data)
    }

    func lstatOf(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 ? info : nil
    }

    @Test("files, directories, symlinks and hard links keep content, modes and owners")
    func unpacksEntries() throws {
        try withRoot { root in
            var tar = ImageTarBuilder()
            tar.directory("bin/", mode: 0o755)
            tar.file("bin/tool", "#!/bin/sh\n", mode: 0o4755, uid: 0, gid: 0)
            tar.file("home/user/notes", "mine", mode: 0o600, uid: 1000, gid: 1001)
            tar.symlink("bin/sh", to: "tool")
            tar.symlink("etc/abs", to: "/etc/hostname")
            tar.hardLink("bin/tool2", to: "bin/tool")
            tar.file("././odd/../even", "normalised")
            let layer = try unpack(tar, in: root)
            #expect(try String(contentsOfFile: layer + "/bin/tool", encoding: .utf8) == "#!/bin/sh\n")
            #expect(lstatOf(layer + "/bin/tool").map { $0.st_mode & 0o7777 } == 0o4755)
            let notes = lstatOf(layer + "/home/user/notes")
            #expect(notes?.st_uid == 1000)
            #expect(notes?.st_gid == 1001)
            #expect(notes.map { $0.st_mode & 0o777 } == 0o600)
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: layer + "/bin/sh") == "tool")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: layer + "/etc/abs") == "/etc/hostname")
            #expect(lstatOf(layer + "/bin/tool2")?.st_ino == lstatOf(layer + "/bin/tool")?.st_ino)
            #expect(try String(contentsOfFile: layer + "/even", encoding: .utf8) == "normalised")
            // Parents the layer does not list are made 0755.
            #expect(lstatOf(layer + "/home").map { $0.st_mode & 0o777 } == 0o755)
        }
    }

    @Test("gzip layers unpack, and PAX and GNU long names are honoured")
    func gzipAndLongNames() async throws {
        var tar = ImageTarBuilder()
        let long = "deep/" + String(repeating: "d", count: 120) + "/file"
        tar.paxFile(long, "pax")
        let gnu = "gnu/" + String(repeating: "g", count: 150)
        tar.gnuLongFile(gnu, "gnu")
        let compressed = try await gzip(tar.tar)
        try withRoot { root in
            let layer = try unpack(tar, in: root, blob: compressed)
            #expect(try String(contentsOfFile: layer + "/" + long, encoding: .utf8) == "pax")
            #expect(try String(contentsOfFile: layer + "/" + gnu, encoding: .utf8) == "gnu")
            #expect(!FileManager.default.fileExists(atPath: layer + "/stand-in"))
        }
    }

    @Test("concatenated gzip members read as one stream; device nodes are created")
    func multiMemberGzipAndDevices() async throws {
        var tar = ImageTarBuilder()
        tar.file("first", String(repeating: "1", count: 3000))
        tar.entry("dev/null", .characterDevice, mode: 0o666, device: (1, 3))
        tar.file("second", "2")
        let bytes = tar.tar
        // Two gzip members, as pigz writes: the tar is split at an arbitrary byte.
        let blob = try await gzip(Data(bytes.prefix(1000))) + (try await gzip(Data(bytes.dropFirst(1000))))
        try withRoot { root in
            let layer = try unpack(tar, in: root, blob: blob)
            #expect(try String(contentsOfFile: layer + "/first", encoding: .utf8).count == 3000)
            #expect(try String(contentsOfFile: layer + "/second", encoding: .utf8) == "2")
            let null = lstatOf(layer + "/dev/null")
            #expect(null.map { $0.st_mode & S_IFMT } == S_IFCHR)
            #expect(null?.st_rdev == lstatOf("/dev/null")?.st_rdev)
        }
    }

    @Test("whiteouts become overlay's: a 0/0 character device and an opaque directory")
    func convertsWhiteouts() throws {
        try withRoot { root in
            var tar = ImageTarBuilder()
            tar.directory("etc/")
            tar.file("etc/.wh.motd", "")
            tar.directory("data/")
            tar.file("data/.wh..wh..opq", "")
            tar.file("data/new", "new")
            tar.file(".wh..wh.plnk", "")
            let layer = try unpack(tar, in: root)
            let motd = lstatOf(layer + "/etc/motd")
            #expect(motd.map { $0.st_mode & S_IFMT } == S_IFCHR)
            #expect(motd?.st_rdev == 0)
            #expect(!FileManager.default.fileExists(atPath: layer + "/etc/.wh.motd"))
            #expect(ExtendedAttributes.get("trusted.overlay.opaque", on: layer + "/data") == Array("y".utf8))
            #expect(!FileManager.default.fileExists(atPath: layer + "/data/.wh..wh..opq"))
            #expect(!FileManager.default.fileExists(atPath: layer + "/.wh..wh.plnk"))
            #expect(FileManager.default.fileExists(atPath: layer + "/data/new"))
        }
    }

    @Test("entries that climb out of the layer are refused and nothing is kept", arguments: [
        "../escaped", "a/../../escaped", "/../escaped",
    ])
    func refusesEscapes(name: String) throws {
        try withRoot { root in
            var tar = ImageTarBuilder()
            tar.file("ok", "fine")
            tar.file(name, "evil")
            #expect(throws: ImageError.unsafePath(name)) { _ = try unpack(tar, in: root) }
            #expect(!FileManager.default.fileExists(atPath: root.deletingLastPathComponent().path + "/escaped"))
            #expect(!FileManager.default.fileExists(atPath: root.path + "/layers/escaped"))
            let unpacked = try LayerStore(root: root).all()
            let staging = try FileManager.default.contentsOfDirectory(atPath: root.path + "/layers")
            #expect(unpacked.isEmpty)
            #expect(staging == ["sha256"])
        }
    }

    @Test("a file under a symlink is refused instead of written through it")
    func refusesWritesThroughSymlinks() throws {
        try withRoot { root in
            let outside = root.appendingPathComponent("outside")
            try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
            var tar = ImageTarBuilder()
            tar.symlink("etc", to: outside.path)
            tar.file("etc/passwd", "evil")
            #expect(throws: ImageError.unsafePath("etc")) { _ = try unpack(tar, in: root) }
            #expect(!FileManager.default.fileExists(atPath: outside.path + "/passwd"))
            var link = ImageTarBuilder()
            link.hardLink("stolen", to: "../../../etc/shadow")
            #expect(throws: ImageError.self) { _ = try unpack(link, in: root) }
        }
    }

    @Test("a layer whose content is not its diff ID is refused")
    func checksDiffID() throws {
        try withRoot { root in
            var tar = ImageTarBuilder()
            tar.file("a", "a")
            let wrong = Digest.of(Data("something else".utf8))
            #expect(throws: ImageError.digestMismatch(expected: wrong, actual: tar.diffID)) {
                _ = try unpack(tar, in: root, diffID: wrong)
            }
            let unpacked = try LayerStore(root: root).all()
            #expect(unpacked.isEmpty)
        }
    }

    @Test("garbage is an invalid layer, not a crash")
    func refusesGarbage() throws {
        try withRoot { root in
            let layers = try LayerStore(root: root)
            let blob = root.appendingPathComponent("garbage").path
            try Data((0..<3000).map { UInt8(truncatingIfNeeded: $0 * 7) }).write(to: URL(fileURLWithPath: blob))
            #expect(throws: ImageError.self) { try layers.unpack(blob: blob, diffID: Digest.of(Data())) }
            // A truncated gzip stream.
            try Data([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]).write(to: URL(fileURLWithPath: blob))
            #expect(throws: ImageError.self) { try layers.unpack(blob: blob, diffID: Digest.of(Data())) }
        }
    }

    @Test("the content store refuses a blob that is not its digest and leaves no file")
    func contentStoreVerifies() throws {
        try withRoot { root in
            let store = try ContentStore(root: root)
            let data = Data("hello".utf8)
            let digest = try store.write(data)
            #expect(digest == Digest.of(data))
            #expect(try store.read(digest) == data)
            let wrong = Digest.of(Data("other".utf8))
            #expect(throws: ImageError.digestMismatch(expected: wrong, actual: digest)) {
                try store.write(Data("hello".utf8), expected: wrong)
            }
            let writer = try store.writer()
            try Data("partial".utf8).withUnsafeBytes { try writer.write($0) }
            #expect(throws: ImageError.self) { try store.commit(writer, expected: wrong) }
            #expect(!store.contains(wrong))
            #expect(try FileManager.default.contentsOfDirectory(atPath: root.path + "/ingest").isEmpty)
            #expect(try store.all() == [digest])
            // A blob damaged on disk is noticed when read, and dropped so a pull fetches it again.
            try Data("hellO".utf8).write(to: URL(fileURLWithPath: store.path(for: digest)))
            #expect(throws: ImageError.self) { try store.read(digest) }
            #expect(!store.contains(digest))
        }
    }
}
