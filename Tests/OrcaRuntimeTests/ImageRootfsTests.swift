import Foundation
import OrcaRuntime
import OrcaTesting
import Testing

/// Root file systems from the `layered` image: its top layer deletes /etc/motd and makes
/// /data opaque (hiding /data/old, adding /data/new).
@Suite("container root file systems", .enabled(if: TestImages.available, ImageTestSupport.skip))
struct ImageRootfsTests {
    func withLayeredImage(_ body: (Image, URL) async throws -> Void) async throws {
        let archive = FileManager.default.temporaryDirectory
            .appendingPathComponent("orca-\(UInt32.random(in: 0...UInt32.max)).tar")
        defer { try? FileManager.default.removeItem(at: archive) }
        try await TestImages.ociArchive(at: archive)
        try await ImageTestSupport.withStore { store, root in
            _ = try await store.load(archive: archive, name: "busybox")
            let image = try await store.ensure("busybox:layered", policy: .never)
            try await body(image, root.appendingPathComponent("containers"))
        }
    }

    func expectLayeredView(_ rootfs: URL) {
        let fileManager = FileManager.default
        #expect(fileManager.isExecutableFile(atPath: rootfs.path + "/bin/busybox"))
        #expect(!fileManager.fileExists(atPath: rootfs.path + "/etc/motd"), "the whiteout hides /etc/motd")
        #expect(fileManager.fileExists(atPath: rootfs.path + "/etc/passwd"))
        #expect(!fileManager.fileExists(atPath: rootfs.path + "/data/old"), "the opaque /data hides /data/old")
        #expect((try? String(contentsOfFile: rootfs.path + "/data/new", encoding: .utf8)) == "new\n")
    }

    @Test("overlay: whiteouts applied, writes go to the upper directory, removal leaves nothing", arguments: [
        Rootfs.Mode.overlay, Rootfs.Mode.automatic,
    ])
    func overlay(mode: Rootfs.Mode) async throws {
        try await withLayeredImage { image, containers in
            let target = containers.appendingPathComponent("c1/rootfs")
            let rootfs = try Rootfs.make(for: image, at: target, mode: mode)
            #expect(rootfs.kind == .overlay)
            expectLayeredView(target)
            try Data("written".utf8).write(to: target.appendingPathComponent("etc/motd"))
            #expect(FileManager.default.fileExists(atPath: target.path + ".upper/etc/motd"))
            #expect(!FileManager.default.fileExists(atPath: image.layers[0].path + "/etc/motd.new"))
            let lower = try String(contentsOfFile: image.layers[0].path + "/etc/motd", encoding: .utf8)
            #expect(lower == "hello from orca\n")
            try rootfs.remove()
            #expect(!ProcFile.mountInfo.contains(target.path))
            #expect(ImageTestSupport.entries(containers.appendingPathComponent("c1")).isEmpty)
            // The layers survive the container.
            #expect(FileManager.default.isExecutableFile(atPath: image.layers[0].path + "/bin/busybox"))
        }
    }

    @Test("copy: the same view without overlay, whiteouts applied while copying")
    func copy() async throws {
        try await withLayeredImage { image, containers in
            let target = containers.appendingPathComponent("c2/rootfs")
            let rootfs = try Rootfs.make(for: image, at: target, mode: .copy)
            #expect(rootfs.kind == .copy)
            expectLayeredView(target)
            var info = stat()
            #expect(lstat(target.path + "/etc/motd", &info) != 0, "no whiteout device is copied")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: target.path + "/bin/sh") == "busybox")
            try Rootfs.remove(at: target)
            #expect(ImageTestSupport.entries(containers.appendingPathComponent("c2")).isEmpty)
        }
    }

    @Test("runc runs the image's busybox from an overlay rootfs, and it sees the layered view",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/runc")
              || ProcessInfo.processInfo.environment["CI"] == "true", "needs runc"))
    func runsWithRunc() async throws {
        try await withLayeredImage { image, containers in
            let bundle = containers.appendingPathComponent("c4")
            let rootfs = try Rootfs.make(for: image, at: bundle.appendingPathComponent("rootfs"))
            defer { try? rootfs.remove() }
            try await Command("/usr/sbin/runc", ["spec", "--bundle", bundle.path]).run()
            let configURL = bundle.appendingPathComponent("config.json")
            let spec = try JSONSerialization.jsonObject(with: Data(contentsOf: configURL))
            var config = try #require(spec as? [String: Any])
            var process = try #require(config["process"] as? [String: Any])
            process["terminal"] = false
            process["args"] = ["/bin/sh", "-c", "cat /data/new; ls /data; test -e /etc/motd || echo motd-gone"]
            process["env"] = image.environment
            config["process"] = process
            config["root"] = ["path": rootfs.path.path, "readonly": false]
            try JSONSerialization.data(withJSONObject: config).write(to: configURL)
            let id = "orca-image-test-\(UInt32.random(in: 0...UInt32.max))"
            let output = try await Command("/usr/sbin/runc", ["run", "--bundle", bundle.path, id])
                .output(timeout: .seconds(30))
            _ = try? await Command("/usr/sbin/runc", ["delete", "--force", id]).output()
            #expect(output.status == .exited(0), "\(output)")
            #expect(output.stdoutText == "new\nnew\nmotd-gone\n")
        }
    }

    @Test("a rootfs cannot be made over an existing path")
    func refusesExistingTarget() async throws {
        try await withLayeredImage { image, containers in
            let target = containers.appendingPathComponent("c3/rootfs")
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            #expect(throws: ImageError.self) { try Rootfs.make(for: image, at: target) }
            #expect(FileManager.default.fileExists(atPath: target.path), "what was there is left alone")
        }
    }
}
