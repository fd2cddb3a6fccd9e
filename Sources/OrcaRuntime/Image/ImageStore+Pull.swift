#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import NIOCore

extension ImageStore {
    /// Pulls `reference` from its registry (or mirrors), even if stored; concurrent pulls
    /// of one reference share the transfer.
    public func pull(_ reference: String) async throws -> Image {
        try await pull(ImageReference(parsing: reference))
    }

    func pull(_ reference: ImageReference) async throws -> Image {
        let key = reference.description
        if let running = pulls[key] { return try await running.value }
        let task = Task { try await performPull(reference) }
        pulls[key] = task
        defer { pulls[key] = nil }
        return try await task.value
    }

    private func performPull(_ reference: ImageReference) async throws -> Image {
        let started = ContinuousClock.now
        var logger = logger
        logger[metadataKey: "image"] = "\(reference)"
        logger.info("pulling image")
        var leased: [Digest] = []
        defer { release(leased) }

        // Resolve the reference down to one platform's manifest, keeping every document.
        var (data, contentType) = try await fetchManifest(reference, reference.manifestReference, logger: logger)
        let target = Digest.of(data)
        if let pinned = reference.digest, pinned != target {
            throw ImageError.digestMismatch(expected: pinned, actual: target)
        }
        var current = target
        var manifest: ImageManifest?
        for _ in 0..<3 where manifest == nil {
            lease([current])
            leased.append(current)
            try await blocking { [content, data, current] in try content.write(data, expected: current) }
            switch try ManifestDocument.decode(data, contentType: contentType) {
            case .manifest(let found):
                manifest = found
            case .index(let index):
                let entry = try index.manifest(for: registry.configuration.platform, reference: reference.description)
                (data, contentType) = try await fetchManifest(reference, entry.digest.description, logger: logger)
                let actual = Digest.of(data)
                guard actual == entry.digest else {
                    throw ImageError.digestMismatch(expected: entry.digest, actual: actual)
                }
                current = actual
            }
        }
        guard let manifest else { throw ImageError.invalidManifest("\(reference): indexes nested too deep") }

        // The config says what to run and the layers' diff IDs.
        let configData = try await fetchSmallBlob(reference, manifest.config, logger: logger)
        let configuration = try decodeConfiguration(configData)
        let diffIDs = configuration.rootfs.diffIDs
        guard diffIDs.count == manifest.layers.count else {
            throw ImageError.invalidManifest("\(manifest.layers.count) layers but \(diffIDs.count) diff_ids")
        }
        if let type = manifest.layers.map(\.mediaType).first(where: { !MediaType.isUnpackableLayer($0) }) {
            throw ImageError.unsupportedMediaType(type)
        }
        let blobs = [manifest.config.digest] + manifest.layers.map(\.digest)
        lease(blobs + diffIDs)
        leased += blobs + diffIDs
        try await blocking { [content] in try content.write(configData, expected: manifest.config.digest) }

        try await unpackLayers(reference, manifest.layers, diffIDs, logger: logger)
        let record = ReferenceIndex.Record(target: target, manifest: current)
        try references.set(reference.description, record)
        let image = try assemble(reference, record)
        logger.info("pulled image", metadata: [
            "digest": "\(target)", "layers": "\(diffIDs.count)", "bytes": "\(image.size)",
            "seconds": "\(ContinuousClock.now - started)",
        ])
        return image
    }

    /// Downloads and unpacks the layers not yet unpacked, a few at a time.
    private func unpackLayers(_ reference: ImageReference, _ layers: [Descriptor], _ diffIDs: [Digest],
                              logger: Logger) async throws {
        let limit = max(1, registry.configuration.maxConcurrentDownloads)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, (layer, diffID)) in zip(layers, diffIDs).enumerated() {
                if index >= limit { try await group.next() }
                group.addTask {
                    try await self.ensureLayer(diffID, blob: layer.digest) {
                        try await self.downloadBlob(reference, layer, logger: logger)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    private nonisolated func fetchManifest(_ reference: ImageReference, _ tagOrDigest: String,
                                           logger: Logger) async throws -> (Data, String?) {
        let response = try await registry.get(
            "manifests/" + tagOrDigest, repository: reference.repository, registry: reference.registry,
            accept: MediaType.manifestAccept, timeout: registry.configuration.requestTimeout, logger: logger)
        let data = try await Self.collect(response, limit: 4 << 20, reference: reference)
        return (data, response.contentType)
    }

    private nonisolated func fetchSmallBlob(_ reference: ImageReference, _ descriptor: Descriptor,
                                            logger: Logger) async throws -> Data {
        if content.contains(descriptor.digest), let data = try? content.read(descriptor.digest) { return data }
        let response = try await registry.get(
            "blobs/" + descriptor.digest.description, repository: reference.repository, registry: reference.registry,
            accept: nil, timeout: registry.configuration.requestTimeout, logger: logger)
        let data = try await Self.collect(response, limit: 4 << 20, reference: reference)
        let actual = Digest.of(data)
        guard actual == descriptor.digest else {
            throw ImageError.digestMismatch(expected: descriptor.digest, actual: actual)
        }
        return data
    }

    private static func collect(_ response: RegistryClient.Response, limit: Int,
                                reference: ImageReference) async throws -> Data {
        do {
            return Data(try await response.body.collect(upTo: limit).readableBytesView)
        } catch {
            throw ImageError.registryUnavailable(response.endpoint.host, detail: "reading \(reference): \(error)")
        }
    }

    /// Streams a layer blob to the content store, hashing as it goes; a blob that does not
    /// match its digest is refused and nothing of it is kept.
    nonisolated func downloadBlob(_ reference: ImageReference, _ descriptor: Descriptor, logger: Logger) async throws {
        let started = ContinuousClock.now
        let response = try await registry.get(
            "blobs/" + descriptor.digest.description, repository: reference.repository, registry: reference.registry,
            accept: nil, timeout: registry.configuration.blobTimeout, logger: logger)
        var logger = logger
        logger[metadataKey: "layer"] = "\(descriptor.digest.short)"
        logger.info("downloading layer", metadata: ["size": "\(descriptor.size)", "from": "\(response.endpoint)"])
        let writer = try content.writer()
        var lastReport = started
        do {
            for try await chunk in response.body {
                try chunk.withUnsafeReadableBytes { try writer.write($0) }
                guard writer.bytesWritten <= descriptor.size else {
                    throw ImageError.invalidLayer("\(descriptor.digest) is larger than its \(descriptor.size) bytes")
                }
                if ContinuousClock.now - lastReport > .seconds(2) {
                    lastReport = .now
                    logger.info("downloading layer", metadata: [
                        "bytes": "\(writer.bytesWritten)", "size": "\(descriptor.size)",
                    ])
                }
            }
        } catch let error as ImageError {
            throw error
        } catch {
            throw ImageError.registryUnavailable(response.endpoint.host,
                                                 detail: "reading \(descriptor.digest): \(error)")
        }
        let content = content
        try await blocking { try content.commit(writer, expected: descriptor.digest) }
        logger.info("downloaded layer", metadata: [
            "bytes": "\(writer.bytesWritten)", "seconds": "\(ContinuousClock.now - started)",
        ])
    }
}
