#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ImageStore {
    /// Imports the images of an archive, tar or gzipped tar, made by `docker save` (a
    /// `manifest.json` listing config and layer tars with their `RepoTags`) or an OCI image
    /// layout (`oci-layout`, `index.json`, `blobs/`), as `skopeo copy ... oci-archive:` or a
    /// tar of an umoci layout. Returns the normalised references now stored.
    ///
    /// Every file is verified: OCI blobs against their names, layers against the config's
    /// diff IDs. OCI entries are named by their `io.containerd.image.name` annotation, or
    /// `org.opencontainers.image.ref.name` when it is a full reference; when that is only a
    /// tag (`latest`, as umoci and skopeo write), `name` supplies the repository
    /// (`busybox` + `latest` -> `docker.io/library/busybox:latest`). Untagged images in a
    /// `docker save` archive also need `name`.
    public func load(archive: URL, name: String? = nil) async throws -> [String] {
        let content = content
        // Until the references are written, everything this load stores is only ours.
        let contents = try await blocking { try ArchiveContents.read(archive.path, into: content) }
        let blobs = Array(Set(contents.blobs.values))
        lease(blobs)
        defer { release(blobs) }
        var loaded: [(ImageReference, ReferenceIndex.Record)] = []
        if let index = contents.metadata["index.json"] {
            loaded = try await loadOCI(index, contents, name: name)
        } else if let manifest = contents.metadata["manifest.json"] {
            loaded = try await loadDockerSave(manifest, contents, name: name)
        } else {
            throw ImageError.invalidArchive("\(archive.path) has neither index.json nor manifest.json")
        }
        for (reference, record) in loaded {
            try references.set(reference.description, record)
            logger.info("loaded image", metadata: ["image": "\(reference)", "digest": "\(record.target)"])
        }
        return loaded.map(\.0.description)
    }

    private func loadOCI(_ indexData: Data, _ contents: ArchiveContents,
                         name: String?) async throws -> [(ImageReference, ReferenceIndex.Record)] {
        let index: ImageIndex
        do { index = try JSONDecoder().decode(ImageIndex.self, from: indexData) } catch {
            throw ImageError.invalidArchive("index.json: \(error)")
        }
        var loaded: [(ImageReference, ReferenceIndex.Record)] = []
        for entry in index.manifests {
            let annotations = entry.annotations ?? [:]
            guard let refName = annotations["io.containerd.image.name"]
                ?? annotations["org.opencontainers.image.ref.name"] else { continue }
            let reference = try Self.archiveReference(refName, name: name)
            guard content.contains(entry.digest) else {
                throw ImageError.invalidArchive("\(refName): blob \(entry.digest) is not in the archive")
            }
            let manifestDigest = try resolveStored(entry, reference: reference.description)
            try await unpackStored(manifestDigest)
            loaded.append((reference, ReferenceIndex.Record(target: entry.digest, manifest: manifestDigest)))
        }
        guard !loaded.isEmpty else { throw ImageError.invalidArchive("index.json names no image") }
        return loaded
    }

    private func loadDockerSave(_ manifestData: Data, _ contents: ArchiveContents,
                                name: String?) async throws -> [(ImageReference, ReferenceIndex.Record)] {
        struct Entry: Decodable {
            var Config: String
            var RepoTags: [String]?
            var Layers: [String]
        }
        let entries: [Entry]
        do { entries = try JSONDecoder().decode([Entry].self, from: manifestData) } catch {
            throw ImageError.invalidArchive("manifest.json: \(error)")
        }
        var loaded: [(ImageReference, ReferenceIndex.Record)] = []
        for entry in entries {
            // docker save has no manifest: write the one a registry would have served.
            let configDigest = try contents.blob(entry.Config)
            let layers = try entry.Layers.map { path in
                let digest = try contents.blob(path)
                return Descriptor(mediaType: MediaType.dockerLayer, digest: digest, size: content.size(of: digest) ?? 0)
            }
            let manifest = ImageManifest(
                mediaType: MediaType.dockerManifest,
                config: Descriptor(mediaType: MediaType.dockerConfig, digest: configDigest,
                                   size: content.size(of: configDigest) ?? 0),
                layers: layers)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let manifestDigest = try content.write(try encoder.encode(manifest))
            lease([manifestDigest])
            defer { release([manifestDigest]) }
            try await unpackStored(manifestDigest)
            let tags = entry.RepoTags ?? []
            guard !tags.isEmpty || name != nil else {
                throw ImageError.invalidArchive("image \(configDigest.short) has no RepoTags; give it a name")
            }
            for tag in tags.isEmpty ? [name ?? ""] : tags {
                let record = ReferenceIndex.Record(target: manifestDigest, manifest: manifestDigest)
                loaded.append((try ImageReference(parsing: tag), record))
            }
        }
        return loaded
    }

    /// An OCI ref name as a reference: a full one, or a bare tag put on `name`.
    private static func archiveReference(_ refName: String, name: String?) throws -> ImageReference {
        let isBareTag = !refName.contains("/") && !refName.contains(":") && !refName.contains("@")
        guard isBareTag else { return try ImageReference(parsing: refName) }
        guard let name else {
            throw ImageError.invalidArchive("the archive names its image only by tag \"\(refName)\"; give it a name")
        }
        let base = try ImageReference(parsing: name)
        return ImageReference(registry: base.registry, repository: base.repository, tag: refName, digest: nil)
    }

    /// Follows an index entry down to the stored single-platform manifest.
    private func resolveStored(_ entry: Descriptor, reference: String) throws -> Digest {
        var current = entry
        for _ in 0..<3 {
            switch try ManifestDocument.decode(try content.read(current.digest), contentType: current.mediaType) {
            case .manifest: return current.digest
            case .index(let index):
                current = try index.manifest(for: registry.configuration.platform, reference: reference)
                guard content.contains(current.digest) else {
                    throw ImageError.invalidArchive("\(reference): manifest \(current.digest) is not in the archive")
                }
            }
        }
        throw ImageError.invalidArchive("\(reference): indexes nested too deep")
    }

    /// Unpacks the layers of a stored manifest whose blobs are all in the content store.
    private func unpackStored(_ manifestDigest: Digest) async throws {
        guard case .manifest(let manifest) = try ManifestDocument.decode(try content.read(manifestDigest),
                                                                         contentType: nil) else {
            throw ImageError.invalidArchive("\(manifestDigest) is not an image manifest")
        }
        let configuration = try decodeConfiguration(try content.read(manifest.config.digest))
        guard configuration.rootfs.diffIDs.count == manifest.layers.count else {
            throw ImageError.invalidArchive(
                "\(manifest.layers.count) layers but \(configuration.rootfs.diffIDs.count) diff_ids")
        }
        for (layer, diffID) in zip(manifest.layers, configuration.rootfs.diffIDs) {
            let content = content
            try await ensureLayer(diffID, blob: layer.digest) {
                guard content.contains(layer.digest) else {
                    throw ImageError.invalidArchive("layer \(layer.digest) is not in the archive")
                }
            }
        }
    }
}
