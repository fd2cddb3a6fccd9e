#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ImageStore {
    /// Removes every image not in `keeping`, then every blob and unpacked layer no
    /// remaining image needs; returns what went.
    ///
    /// `keeping` holds the images in use (the kubelet passes those of its containers); an
    /// image is kept when any of its digests is in it: ``Image/digest``, ``Image/targetDigest``
    /// or ``Image/id``. Content that a pull or load in progress is writing is left alone.
    /// A layer directory that a rootfs still mounts must belong to a kept image: the store
    /// cannot see mounts.
    public func prune(keeping: Set<Digest>) async throws -> PruneReport {
        var report = PruneReport()
        var liveBlobs = Set<Digest>()
        var liveLayers = Set<Digest>()
        var doomed: [String] = []
        try references.refresh()
        for (key, record) in references.records {
            let needs = needed(by: record)
            guard [record.target, record.manifest, needs.id].contains(where: { $0.map(keeping.contains) ?? false })
            else {
                doomed.append(key)
                continue
            }
            liveBlobs.formUnion(needs.blobs)
            liveLayers.formUnion(needs.diffIDs)
        }
        try references.remove(doomed)
        report.removedReferences = doomed.sorted()
        let leased = Set(leases.keys)
        let content = content
        let layers = layerStore
        let (blobs, unpacked) = try await blocking { [liveBlobs, liveLayers] in
            var blobs: [(Digest, Int64)] = []
            for digest in try content.all() where !liveBlobs.contains(digest) && !leased.contains(digest) {
                blobs.append((digest, try content.delete(digest)))
            }
            var unpacked: [(Digest, Int64)] = []
            for diffID in try layers.all() where !liveLayers.contains(diffID) && !leased.contains(diffID) {
                unpacked.append((diffID, try layers.delete(diffID)))
            }
            return (blobs, unpacked)
        }
        report.removedBlobs = blobs.map(\.0).sorted()
        report.removedLayers = unpacked.map(\.0).sorted()
        report.freedBytes = (blobs + unpacked).reduce(0) { $0 + $1.1 }
        logger.info("pruned images", metadata: [
            "references": "\(report.removedReferences.count)", "blobs": "\(blobs.count)",
            "layers": "\(unpacked.count)", "bytes": "\(report.freedBytes)",
        ])
        return report
    }

    /// What a reference needs kept: its target (of an index, only the chosen manifest),
    /// the manifest, config and layer blobs, the unpacked layers, and the image ID.
    private func needed(by record: ReferenceIndex.Record) -> (blobs: Set<Digest>, diffIDs: [Digest], id: Digest?) {
        var blobs: Set<Digest> = [record.target, record.manifest]
        guard let data = try? content.read(record.manifest),
              case .manifest(let manifest) = try? ManifestDocument.decode(data, contentType: nil) else {
            return (blobs, [], nil)
        }
        blobs.insert(manifest.config.digest)
        blobs.formUnion(manifest.layers.map(\.digest))
        let diffIDs = (try? content.read(manifest.config.digest)).flatMap { try? decodeConfiguration($0) }?
            .rootfs.diffIDs ?? []
        return (blobs, diffIDs, manifest.config.digest)
    }
}
