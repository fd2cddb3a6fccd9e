import Foundation
import OrcaRuntime

#if canImport(Glibc)
import Glibc
#endif

/// The test images, built once per test process from Debian's busybox-static by
/// `scripts/test-image` into an OCI layout in a temporary directory (removed at exit).
///
/// Tags in the layout: `latest` (busybox, one layer), `layered` (plus a layer with a
/// whiteout and an opaque directory) and `multi` (an index listing an arm64 twin first,
/// then `latest` as linux/amd64), for manifest-list resolution.
public enum TestImages {
    public static let latest = "latest"
    public static let layered = "layered"
    public static let multi = "multi"

    /// What is missing to build and serve the images (for the skip message).
    public static var missing: [String] {
        var missing: [String] = []
        if getuid() != 0 { missing.append("root") }
        for tool in ["/usr/bin/umoci", "/usr/bin/skopeo", "/usr/bin/docker-registry", "/bin/busybox", "/usr/bin/tar"]
        where !FileManager.default.isExecutableFile(atPath: tool) {
            missing.append(tool)
        }
        if !FileManager.default.isExecutableFile(atPath: script.path) { missing.append(script.path) }
        return missing
    }

    /// Whether image tests run: everything is there, or we are under CI, where a missing
    /// prerequisite must fail the test rather than skip it.
    public static var available: Bool { ProcessInfo.processInfo.environment["CI"] == "true" || missing.isEmpty }

    /// The skip message.
    public static var skipReason: String { "image tests need \(missing.joined(separator: ", "))" }

    /// `scripts/test-image` of this checkout.
    public static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scripts/test-image")
    }

    /// The OCI layout with the test images, built on first use.
    public static func layout() async throws -> URL { try await cache.layout() }

    /// A `docker save` archive of `tag` named `name` (`busybox:saved`), made by skopeo.
    public static func dockerArchive(tag: String, name: String, at file: URL) async throws {
        let layout = try await layout()
        try await Command("/usr/bin/skopeo", ["--insecure-policy", "copy", "--quiet", "oci:\(layout.path):\(tag)",
                                              "docker-archive:\(file.path):\(name)"]).run(timeout: .seconds(120))
    }

    /// The whole OCI layout as a tar (gzipped when `gzip`), as `tar -C layout -c .` makes it.
    public static func ociArchive(at file: URL, gzip: Bool = false) async throws {
        let layout = try await layout()
        try await Command("/usr/bin/tar", ["-C", layout.path, gzip ? "-czf" : "-cf", file.path, "."])
            .run(timeout: .seconds(120))
    }

    /// The digest of the manifest (or index) tagged `tag` in the layout.
    public static func digest(of tag: String) async throws -> Digest {
        let layout = try await layout()
        let data = try Data(contentsOf: layout.appendingPathComponent("index.json"))
        let index = try JSONDecoder().decode(ImageIndex.self, from: data)
        guard let entry = index.manifests.first(where: { $0.annotations?["org.opencontainers.image.ref.name"] == tag })
        else { throw POSIXError(.ENOENT) }
        return entry.digest
    }

    private static let cache = LayoutCache()

    private actor LayoutCache {
        private var building: Task<URL, any Error>?

        func layout() async throws -> URL {
            if let building { return try await building.value }
            let task = Task { try await TestImages.build() }
            building = task
            return try await task.value
        }
    }

    /// The per-process directory, derived from the PID so the exit hook (a C function
    /// pointer, which cannot capture) can find it.
    private static var directory: URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("orca-test-images-\(getpid())")
    }

    private static func build() async throws -> URL {
        let problems = missing
        guard problems.isEmpty else { throw FixtureError("image fixtures need \(problems.joined(separator: ", "))") }
        removeAbandonedDirectories()
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        atexit {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("orca-test-images-\(getpid())")
            try? FileManager.default.removeItem(at: path)
        }
        let layout = directory.appendingPathComponent("layout")
        try await Command(script.path, [layout.path]).run(timeout: .seconds(120))
        try addMultiPlatformIndex(layout)
        return layout
    }

    /// Removes the directories of test processes that died without running their exit hook
    /// (killed by a timeout, say).
    private static func removeAbandonedDirectories() {
        let temporary = FileManager.default.temporaryDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        for name in names where name.hasPrefix("orca-test-images-") {
            guard let pid = Int32(name.dropFirst("orca-test-images-".count)), pid != getpid(),
                  kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
        }
    }

    /// Adds tag `multi`: an OCI index whose first entry is an arm64 twin of `latest` (same
    /// layers, a config that says arm64) and whose second is `latest` itself as linux/amd64.
    private static func addMultiPlatformIndex(_ layout: URL) throws {
        let indexURL = layout.appendingPathComponent("index.json")
        let index = try JSONDecoder().decode(ImageIndex.self, from: Data(contentsOf: indexURL))
        guard let amd64 = index.manifests.first(where: {
            $0.annotations?["org.opencontainers.image.ref.name"] == latest
        }) else { throw FixtureError("no latest in \(indexURL.path)") }
        let manifest = try JSONDecoder().decode(ImageManifest.self, from: Data(contentsOf: blob(layout, amd64.digest)))
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: blob(layout, manifest.config.digest)))
            as? [String: Any] ?? [:]
        config["architecture"] = "arm64"
        let armConfig = try put(layout, JSONSerialization.data(withJSONObject: config, options: .sortedKeys))
        var armManifest = manifest
        armManifest.config = Descriptor(mediaType: MediaType.ociConfig, digest: armConfig.0, size: armConfig.1)
        let armDigest = try put(layout, JSONEncoder().encode(armManifest))
        let list = ImageIndex(manifests: [
            Descriptor(mediaType: MediaType.ociManifest, digest: armDigest.0, size: armDigest.1,
                       platform: Platform(os: "linux", architecture: "arm64", variant: "v8")),
            Descriptor(mediaType: MediaType.ociManifest, digest: amd64.digest, size: amd64.size, platform: .linuxAMD64),
        ])
        let listDigest = try put(layout, JSONEncoder().encode(list))
        var top = index
        top.manifests.append(Descriptor(mediaType: MediaType.ociIndex, digest: listDigest.0, size: listDigest.1,
                                        annotations: ["org.opencontainers.image.ref.name": multi]))
        try JSONEncoder().encode(top).write(to: indexURL)
    }

    private static func blob(_ layout: URL, _ digest: Digest) -> URL {
        layout.appendingPathComponent("blobs/sha256/\(digest.hex)")
    }

    private static func put(_ layout: URL, _ data: Data) throws -> (Digest, Int64) {
        let digest = Digest.of(data)
        try data.write(to: blob(layout, digest))
        return (digest, Int64(data.count))
    }
}

/// A fixture could not be set up; the message says what is missing or what failed.
public struct FixtureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
