import Foundation
import OrcaRuntime
import OrcaTesting
import Testing

/// `orca image load`: docker save and OCI archives, then prune.
@Suite("loading image archives and pruning", .enabled(if: TestImages.available, ImageTestSupport.skip))
struct ImageLoadTests {
    func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("orca-\(UInt32.random(in: 0...UInt32.max))-\(name)")
    }

    @Test("a docker save archive loads with its RepoTags and the same layer a pull would unpack")
    func loadsDockerSave() async throws {
        let archive = temporaryFile("saved.tar")
        defer { try? FileManager.default.removeItem(at: archive) }
        try await TestImages.dockerArchive(tag: TestImages.layered, name: "busybox:saved", at: archive)
        try await ImageTestSupport.withStore { store, root in
            let loaded = try await store.load(archive: archive)
            #expect(loaded == ["docker.io/library/busybox:saved"])
            let image = try await store.ensure("busybox:saved", policy: .never)
            #expect(image.layers.count == 2)
            #expect(image.command == ["sh"])
            #expect(FileManager.default.isExecutableFile(atPath: image.layers[0].path + "/bin/busybox"))
            // The OCI layout's layers are gzip; docker save's are plain tars: the same diff IDs,
            // so loading the OCI archive too unpacks nothing new.
            let oci = temporaryFile("layout.tar")
            defer { try? FileManager.default.removeItem(at: oci) }
            try await TestImages.ociArchive(at: oci)
            _ = try await store.load(archive: oci, name: "busybox")
            #expect(ImageTestSupport.entries(root.appendingPathComponent("layers/sha256")).count == 2)
            #expect(ImageTestSupport.entries(root.appendingPathComponent("ingest")).isEmpty)
        }
    }

    @Test("an OCI archive, plain or gzipped, loads every tag; a bare tag needs a name", arguments: [false, true])
    func loadsOCIArchive(gzip: Bool) async throws {
        let archive = temporaryFile(gzip ? "layout.tar.gz" : "layout.tar")
        defer { try? FileManager.default.removeItem(at: archive) }
        try await TestImages.ociArchive(at: archive, gzip: gzip)
        let amd64 = try await TestImages.digest(of: TestImages.latest)
        try await ImageTestSupport.withStore { store, _ in
            await #expect(throws: ImageError.self) { try await store.load(archive: archive) }
            let loaded = try await store.load(archive: archive, name: "127.0.0.1:5000/orca/busybox")
            #expect(loaded.sorted() == ["latest", "layered", "multi"].map { "127.0.0.1:5000/orca/busybox:\($0)" })
            let multi = try await store.ensure("127.0.0.1:5000/orca/busybox:multi", policy: .never)
            #expect(multi.digest == amd64)
            #expect(multi.targetDigest == (try await TestImages.digest(of: TestImages.multi)))
            let layered = try await store.ensure("127.0.0.1:5000/orca/busybox:layered", policy: .never)
            #expect(layered.layers.count == 2)
        }
    }

    @Test("prune removes images not in use, then the blobs and layers nobody needs")
    func prunes() async throws {
        let archive = temporaryFile("layout.tar")
        defer { try? FileManager.default.removeItem(at: archive) }
        try await TestImages.ociArchive(at: archive)
        try await ImageTestSupport.withStore { store, root in
            _ = try await store.load(archive: archive, name: "busybox")
            let latest = try await store.ensure("busybox:latest", policy: .never)
            let layered = try await store.ensure("busybox:layered", policy: .never)
            let blobsBefore = ImageTestSupport.entries(root.appendingPathComponent("blobs/sha256")).count

            // multi resolves to latest's manifest: keeping that digest keeps both references.
            let report = try await store.prune(keeping: [latest.digest])
            #expect(report.removedReferences == ["docker.io/library/busybox:layered"])
            // The layered image's own top layer goes; the busybox layer stays for latest.
            #expect(report.removedLayers == [layered.configuration.rootfs.diffIDs[1]])
            #expect(report.removedBlobs.contains(layered.digest))
            #expect(report.freedBytes > 0)
            #expect(await store.list().map(\.reference.description)
                == ["docker.io/library/busybox:latest", "docker.io/library/busybox:multi"])
            #expect(try await store.ensure("busybox:latest", policy: .never) == latest)
            let blobsAfter = ImageTestSupport.entries(root.appendingPathComponent("blobs/sha256")).count
            #expect(blobsAfter == 4) // manifest, config, layer of latest; multi's index
            #expect(blobsAfter + report.removedBlobs.count == blobsBefore)

            // Kept by its image ID too; then nothing kept: the store is empty.
            #expect(try await store.prune(keeping: [latest.id]).removedReferences.isEmpty)
            let all = try await store.prune(keeping: [])
            #expect(all.removedReferences == ["docker.io/library/busybox:latest", "docker.io/library/busybox:multi"])
            #expect(ImageTestSupport.entries(root.appendingPathComponent("blobs/sha256")).isEmpty)
            #expect(ImageTestSupport.entries(root.appendingPathComponent("layers/sha256")).isEmpty)
            await #expect(throws: ImageError.notPresent("docker.io/library/busybox:latest")) {
                try await store.ensure("busybox", policy: .never)
            }
        }
    }

    @Test("a second store on the same root (orca image load beside a minion) shares references")
    func sharesRootBetweenStores() async throws {
        let archive = temporaryFile("layout.tar")
        defer { try? FileManager.default.removeItem(at: archive) }
        try await TestImages.ociArchive(at: archive)
        try await ImageTestSupport.withStore { minion, root in
            #expect(await minion.list().isEmpty)
            let loader = try ImageStore(root: root)
            _ = try await loader.load(archive: archive, name: "busybox")
            // The minion's store sees what the other loaded...
            let image = try await minion.ensure("busybox:layered", policy: .never)
            #expect(image.layers.count == 2)
            // ...and a change from either side keeps the other's references.
            #expect(try await minion.remove("busybox:multi"))
            #expect(try await loader.remove("busybox:latest"))
            #expect(await minion.list().map(\.reference.description) == ["docker.io/library/busybox:layered"])
            #expect(await loader.list().map(\.reference.description) == ["docker.io/library/busybox:layered"])
        }
    }

    @Test("a file that is not an image archive is refused")
    func refusesNonArchives() async throws {
        let file = temporaryFile("not-an-archive")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("hello".utf8).write(to: file)
        try await ImageTestSupport.withStore { store, _ in
            await #expect(throws: ImageError.self) { try await store.load(archive: file) }
        }
    }
}
