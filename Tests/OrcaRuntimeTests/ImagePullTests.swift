import Foundation
import OrcaRuntime
import OrcaTesting
import Testing

/// Pulls from Debian's docker-registry (and the fake token registry) started by the test.
@Suite("pulling images from a registry", .enabled(if: TestImages.available, ImageTestSupport.skip))
struct ImagePullTests {
    /// A registry with `latest` pushed as `busybox:latest`, and a store that may use it.
    @discardableResult
    func withPushed<R: Sendable>(_ tags: [String] = [TestImages.latest], as name: String = "busybox",
                                 _ body: (TestRegistry, ImageStore, URL) async throws -> R) async throws -> R {
        let layout = try await TestImages.layout()
        return try await TestRegistry.with { registry in
            for tag in tags { try await registry.push(layout: layout, tag: tag, as: name) }
            return try await ImageTestSupport.withStore(RegistryConfiguration(insecureRegistries: [registry.host])) {
                try await body(registry, $0, $1)
            }
        }
    }

    @Test("pull by tag, then by digest: the layer has busybox and the config what to run")
    func pullsByTagAndDigest() async throws {
        let expected = try await TestImages.digest(of: TestImages.latest)
        try await withPushed { registry, store, root in
            let image = try await store.ensure("\(registry.host)/busybox:latest", policy: .ifNotPresent)
            #expect(image.digest == expected)
            #expect(image.targetDigest == expected)
            #expect(image.reference.description == "\(registry.host)/busybox:latest")
            #expect(image.layers.count == 1)
            #expect(image.command == ["sh"])
            #expect(image.environment.contains { $0.hasPrefix("PATH=") })
            let layer = image.layers[0].path
            #expect(FileManager.default.isExecutableFile(atPath: layer + "/bin/busybox"))
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: layer + "/bin/sh") == "busybox")
            #expect(try String(contentsOfFile: layer + "/etc/motd", encoding: .utf8) == "hello from orca\n")

            let pinned = try await store.ensure("\(registry.host)/busybox@\(expected)", policy: .always)
            #expect(pinned.digest == expected)
            #expect(pinned.layers == image.layers)
            #expect(await store.list().map(\.reference.description).sorted()
                == ["\(registry.host)/busybox:latest", "\(registry.host)/busybox@\(expected)"])
            #expect(ImageTestSupport.entries(root.appendingPathComponent("layers/sha256")).count == 1)
        }
    }

    @Test("an image in Docker's schema 2 types pulls like an OCI one")
    func pullsDockerSchema2() async throws {
        let layout = try await TestImages.layout()
        try await TestRegistry.with { registry in
            try await registry.push(layout: layout, tag: TestImages.layered, as: "busybox", dockerFormat: true)
            try await ImageTestSupport.withStore(RegistryConfiguration(insecureRegistries: [registry.host])) {
                store, _ in
                let image = try await store.ensure("\(registry.host)/busybox:layered", policy: .always)
                let manifest = try JSONDecoder().decode(ImageManifest.self, from: store.content.read(image.digest))
                #expect(manifest.mediaType == MediaType.dockerManifest)
                #expect(manifest.layers.allSatisfy { $0.mediaType == MediaType.dockerLayerGzip })
                #expect(image.layers.count == 2)
                #expect(image.command == ["sh"])
                #expect(FileManager.default.fileExists(atPath: image.layers[1].path + "/data/new"))
            }
        }
    }

    @Test("a blob corrupted in the registry's storage is refused, and nothing of it is kept")
    func refusesCorruptedBlob() async throws {
        let layout = try await TestImages.layout()
        let manifestDigest = try await TestImages.digest(of: TestImages.latest)
        let manifest = try JSONDecoder().decode(ImageManifest.self, from: Data(
            contentsOf: layout.appendingPathComponent("blobs/sha256/\(manifestDigest.hex)")))
        let layerDigest = try #require(manifest.layers.first?.digest)
        try await withPushed { registry, store, root in
            let file = registry.blobFile(layerDigest)
            var bytes = try Data(contentsOf: file)
            bytes[bytes.count / 2] ^= 0x01
            try bytes.write(to: file)
            do {
                _ = try await store.ensure("\(registry.host)/busybox:latest", policy: .always)
                Issue.record("a corrupted layer was accepted")
            } catch let error as ImageError {
                guard case .digestMismatch(let expected, _) = error else {
                    Issue.record("expected a digest mismatch, got \(error)")
                    return
                }
                #expect(expected == layerDigest)
            }
            #expect(!store.content.contains(layerDigest))
            #expect(ImageTestSupport.entries(root.appendingPathComponent("ingest")).isEmpty)
            #expect(ImageTestSupport.entries(root.appendingPathComponent("layers/sha256")).isEmpty)
            #expect(await store.list().isEmpty)
        }
    }

    @Test("a manifest list pushed with --all resolves to linux/amd64")
    func resolvesManifestList() async throws {
        let amd64 = try await TestImages.digest(of: TestImages.latest)
        let list = try await TestImages.digest(of: TestImages.multi)
        try await withPushed([TestImages.multi]) { registry, store, _ in
            let image = try await store.ensure("\(registry.host)/busybox:multi", policy: .always)
            #expect(image.digest == amd64)
            #expect(image.targetDigest == list)
            #expect(image.configuration.architecture == "amd64")
            // Pinning the list's digest pulls the same image.
            let pinned = try await store.ensure("\(registry.host)/busybox@\(list)", policy: .always)
            #expect(pinned.digest == amd64)
        }
    }

    @Test("docker.io references go to the mirror, with library/ kept; a dead mirror is skipped")
    func usesMirrors() async throws {
        let layout = try await TestImages.layout()
        let dead = try RefusingPort()
        try await TestRegistry.with { registry in
            try await registry.push(layout: layout, tag: TestImages.latest, as: "library/busybox")
            var configuration = RegistryConfiguration()
            try configuration.addMirror("docker.io=http://127.0.0.1:\(dead.port)")
            try configuration.addMirror("docker.io=http://\(registry.host)")
            try await ImageTestSupport.withStore(configuration) { store, _ in
                let image = try await store.ensure("busybox", policy: .always)
                #expect(image.reference.description == "docker.io/library/busybox:latest")
                #expect(image.digest == (try await TestImages.digest(of: TestImages.latest)))
                #expect(try await store.image("docker.io/library/busybox:latest") == image)
                // Not on the mirror, and docker.io itself is unreachable from here: an error, typed.
                await #expect(throws: ImageError.self) { try await store.ensure("busybox:nope", policy: .always) }
            }
        }
    }

    @Test("a missing image is notFound; an unreachable registry is registryUnavailable")
    func typedErrors() async throws {
        let dead = try RefusingPort()
        let deadHost = "127.0.0.1:\(dead.port)"
        try await withPushed { registry, store, _ in
            await #expect(throws: ImageError.notFound(
                "http://\(registry.host)/v2/nothing/manifests/latest")) {
                try await store.ensure("\(registry.host)/nothing", policy: .always)
            }
        }
        try await ImageTestSupport.withStore(RegistryConfiguration(insecureRegistries: [deadHost])) {
            store, _ in
            do {
                _ = try await store.ensure("\(deadHost)/busybox", policy: .ifNotPresent)
                Issue.record("pulled from nowhere")
            } catch let error as ImageError {
                guard case .registryUnavailable = error else {
                    Issue.record("expected registryUnavailable, got \(error)")
                    return
                }
                #expect(error.isRetryable)
            }
        }
    }

    @Test("pull policies: Never needs the image stored, IfNotPresent does not ask the registry")
    func pullPolicies() async throws {
        let layout = try await TestImages.layout()
        let host = try await TestRegistry.with { registry in
            try await registry.push(layout: layout, tag: TestImages.latest, as: "busybox")
            let reference = "\(registry.host)/busybox:latest"
            return try await ImageTestSupport.withStore(RegistryConfiguration(insecureRegistries: [registry.host])) {
                store, root in
                await #expect(throws: ImageError.notPresent(reference)) {
                    try await store.ensure(reference, policy: .never)
                }
                let pulled = try await store.ensure(reference, policy: .ifNotPresent)
                #expect(try await store.ensure(reference, policy: .never) == pulled)
                await registry.stop()
                // The registry is gone: IfNotPresent and Never still answer from the store...
                #expect(try await store.ensure(reference, policy: .ifNotPresent) == pulled)
                #expect(try await store.ensure(reference, policy: .never) == pulled)
                // ...Always must ask and fails.
                await #expect(throws: ImageError.self) { try await store.ensure(reference, policy: .always) }
                // A store reopened on the same root knows the image.
                let reopened = try ImageStore(root: root)
                #expect(try await reopened.ensure(reference, policy: .never).digest == pulled.digest)
                return registry.host
            }
        }
        #expect(!host.isEmpty)
    }

    @Test("the bearer-token flow: 401, token from the realm for the repository's scope, retry")
    func bearerToken() async throws {
        let layout = try await TestImages.layout()
        let fake = try FakeRegistry(layout: layout, options: .init(requireToken: true))
        defer { fake.stop() }
        try await ImageTestSupport.withStore(RegistryConfiguration(insecureRegistries: [fake.host])) { store, _ in
            let image = try await store.ensure("\(fake.host)/team/busybox:latest", policy: .always)
            #expect(image.digest == (try await TestImages.digest(of: TestImages.latest)))
            let requests = fake.requests
            let tokenRequests = requests.filter { $0.path.hasPrefix("/token") }
            #expect(tokenRequests.count == 1)
            #expect(tokenRequests.first?.path.contains("scope=repository:team/busybox:pull") == true)
            #expect(tokenRequests.first?.path.contains("service=fake-registry") == true)
            // The first request is refused, every later registry request carries the token.
            let registryRequests = requests.filter { $0.path.hasPrefix("/v2/") }
            #expect(registryRequests.first?.authorization == nil)
            #expect(registryRequests.dropFirst().allSatisfy { $0.authorization?.hasPrefix("Bearer token-") == true })
            #expect(registryRequests.count >= 4) // manifest twice, config, layer
        }
    }

    @Test("blobs redirected to another host are fetched without the registry's token")
    func followsRedirectsWithoutToken() async throws {
        let layout = try await TestImages.layout()
        let fake = try FakeRegistry(layout: layout, options: .init(requireToken: true, redirectBlobs: true))
        defer { fake.stop() }
        try await ImageTestSupport.withStore(RegistryConfiguration(insecureRegistries: [fake.host])) { store, _ in
            let image = try await store.ensure("\(fake.host)/busybox:layered", policy: .always)
            #expect(image.layers.count == 2)
            let storage = fake.requests.filter { $0.path.hasPrefix("/storage/") }
            #expect(storage.count == 3) // config and two layers
            #expect(storage.allSatisfy { $0.authorization == nil })
        }
    }

    @Test("concurrent pulls of images sharing a layer download and unpack it once")
    func concurrentPulls() async throws {
        let layout = try await TestImages.layout()
        let fake = try FakeRegistry(layout: layout)
        defer { fake.stop() }
        try await ImageTestSupport.withStore(RegistryConfiguration(insecureRegistries: [fake.host])) { store, root in
            let references = ["\(fake.host)/busybox:latest", "\(fake.host)/busybox:latest",
                              "\(fake.host)/busybox:layered", "\(fake.host)/other:latest"]
            let images = try await withThrowingTaskGroup(of: Image.self) { group in
                for reference in references { group.addTask { try await store.ensure(reference, policy: .always) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(images.count == 4)
            let busyboxLayer = try #require(images.first { $0.layers.count == 1 }?.configuration.rootfs.diffIDs.first)
            let manifest = try JSONDecoder().decode(ImageManifest.self, from: Data(
                contentsOf: layout.appendingPathComponent("blobs/sha256/\(images[0].digest.hex)")))
            let layerBlob = try #require(manifest.layers.first?.digest)
            let layerGets = fake.requests.filter { $0.path.hasSuffix("/blobs/\(layerBlob)") }
            // The busybox layer is shared by every image: fetched and unpacked once.
            #expect(layerGets.count == 1)
            #expect(images.allSatisfy { $0.configuration.rootfs.diffIDs.first == busyboxLayer })
            #expect(ImageTestSupport.entries(root.appendingPathComponent("layers/sha256")).count == 2)
        }
    }

    @Test("a blob altered in transit is refused")
    func refusesAlteredBlob() async throws {
        let layout = try await TestImages.layout()
        let manifestDigest = try await TestImages.digest(of: TestImages.latest)
        let manifest = try JSONDecoder().decode(ImageManifest.self, from: Data(
            contentsOf: layout.appendingPathComponent("blobs/sha256/\(manifestDigest.hex)")))
        let fake = try FakeRegistry(layout: layout, options: .init(corrupt: [manifest.config.digest]))
        defer { fake.stop() }
        try await ImageTestSupport.withStore(RegistryConfiguration(insecureRegistries: [fake.host])) { store, _ in
            await #expect(throws: ImageError.self) { try await store.ensure("\(fake.host)/busybox", policy: .always) }
            #expect(!store.content.contains(manifest.config.digest))
        }
    }
}
