import AsyncHTTPClient
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging

/// The node's images: pulled from registries or loaded from archives, stored by digest,
/// layers unpacked once and shared. What the kubelet calls before it makes a container.
///
/// On disk, under ``root``:
/// ```
/// blobs/sha256/<hex>     manifests, indexes, configs, compressed layers (verified)
/// layers/sha256/<hex>    one unpacked layer per diff ID (overlay lower directories)
/// references.json        reference -> resolved digest and platform manifest
/// ingest/, layers/tmp-*  work in progress (cleared at start)
/// ```
/// Concurrency: make one `ImageStore` per root in a process. Concurrent calls are safe:
/// pulls of one reference share one transfer, and a layer wanted by several pulls or loads
/// is downloaded and unpacked once. Blocking disk work runs off the cooperative pool.
/// A second process (`orca image load` beside a running minion) may open the same root to
/// load, list and remove: references are merged under a file lock, blobs and layers appear
/// by atomic renames, and start-up cleanup spares the work files of live processes. Prune
/// only from the process that runs the containers: it cannot see another one's pulls.
public actor ImageStore {
    /// The directory everything lives in.
    public let root: URL
    public nonisolated let content: ContentStore
    public nonisolated let layerStore: LayerStore
    let registry: RegistryClient
    let logger: Logger
    var references: ReferenceIndex

    /// Pulls in flight, by normalised reference.
    var pulls: [String: Task<Image, any Error>] = [:]
    /// Layer unpacks in flight (download included), by diff ID.
    var unpacks: [Digest: Task<Void, any Error>] = [:]
    /// Digests that pulls and loads in progress are writing: prune leaves them alone.
    var leases: [Digest: Int] = [:]

    /// Opens (or creates) the store at `root` and clears what an interrupted run left.
    public init(root: URL, registry: RegistryConfiguration = RegistryConfiguration(), httpClient: HTTPClient? = nil,
                logger: Logger = Logger(label: "orca.images")) throws {
        self.root = root
        content = try ContentStore(root: root)
        layerStore = try LayerStore(root: root)
        try content.removeIngests()
        try layerStore.removeStaging()
        references = try ReferenceIndex(path: root.appendingPathComponent("references.json").path)
        self.registry = RegistryClient(configuration: registry, httpClient: httpClient)
        self.logger = logger
    }

    /// The image `reference` names, pulled first when `policy` says so.
    ///
    /// - `.ifNotPresent`: returns the stored image if the reference is known and complete.
    /// - `.always`: resolves the reference at the registry every time (cheap when nothing
    ///   changed: the manifest is fetched, layers already unpacked are not).
    /// - `.never`: throws ``ImageError/notPresent(_:)`` when it is not stored.
    ///
    /// Errors are ``ImageError``s; the kubelet shows them as `ErrImagePull`.
    public func ensure(_ reference: String, policy: PullPolicy) async throws -> Image {
        let parsed = try ImageReference(parsing: reference)
        if policy != .always, let image = try image(parsed) { return image }
        guard policy != .never else { throw ImageError.notPresent(parsed.description) }
        return try await pull(parsed)
    }

    /// The stored image for `reference`, nil when unknown or incomplete.
    public func image(_ reference: String) throws -> Image? {
        try image(ImageReference(parsing: reference))
    }

    /// Every stored image, one per reference, sorted by reference.
    public func list() -> [Image] {
        try? references.refresh()
        return references.records.keys.sorted().compactMap { key in
            (try? ImageReference(parsing: key)).flatMap { try? image($0) }
        }
    }

    /// Untags `reference`; returns false when it was not stored. The content stays until
    /// ``prune(keeping:)`` finds it unreferenced, so a running container's layers are never
    /// pulled from under it by a remove alone.
    @discardableResult
    public func remove(_ reference: String) throws -> Bool {
        let key = try ImageReference(parsing: reference).description
        try references.refresh()
        guard references.records[key] != nil else { return false }
        try references.remove([key])
        return true
    }

    func image(_ reference: ImageReference) throws -> Image? {
        try references.refresh()
        guard let record = references.records[reference.description] else { return nil }
        return try? assemble(reference, record)
    }

    /// Builds an ``Image`` from stored blobs; throws when something is missing.
    func assemble(_ reference: ImageReference, _ record: ReferenceIndex.Record) throws -> Image {
        guard case .manifest(let manifest) = try ManifestDocument.decode(content.read(record.manifest),
                                                                         contentType: nil) else {
            throw ImageError.invalidManifest("\(record.manifest) is not an image manifest")
        }
        let configuration = try decodeConfiguration(content.read(manifest.config.digest))
        let layers = configuration.rootfs.diffIDs.map { URL(fileURLWithPath: layerStore.path(for: $0)) }
        guard configuration.rootfs.diffIDs.allSatisfy(layerStore.contains) else {
            throw ImageError.notFound("layers of \(reference)")
        }
        return Image(reference: reference, digest: record.manifest, targetDigest: record.target,
                     id: manifest.config.digest, configuration: configuration, layers: layers,
                     size: manifest.layers.reduce(0) { $0 + $1.size })
    }

    func decodeConfiguration(_ data: Data) throws -> ImageConfiguration {
        do { return try JSONDecoder().decode(ImageConfiguration.self, from: data) } catch {
            throw ImageError.invalidManifest("image config: \(error)")
        }
    }

    // MARK: - Leases

    func lease(_ digests: [Digest]) {
        for digest in digests { leases[digest, default: 0] += 1 }
    }

    func release(_ digests: [Digest]) {
        for digest in digests {
            leases[digest, default: 1] -= 1
            if leases[digest] == 0 { leases[digest] = nil }
        }
    }

    /// Unpacks layer `diffID` once, whoever asks: the first caller starts `fetch` (make the
    /// blob available) and the unpack; later callers wait for the same work.
    func ensureLayer(_ diffID: Digest, blob: Digest, fetch: @escaping @Sendable () async throws -> Void) async throws {
        if layerStore.contains(diffID) { return }
        if let running = unpacks[diffID] { return try await running.value }
        let layers = layerStore
        let content = content
        let logger = logger
        let task = Task {
            if !content.contains(blob) { try await fetch() }
            let started = ContinuousClock.now
            let size = try await blocking { try layers.unpack(blob: content.path(for: blob), diffID: diffID) }
            logger.info("layer unpacked", metadata: [
                "layer": "\(diffID.short)", "bytes": "\(size)", "seconds": "\(ContinuousClock.now - started)",
            ])
        }
        unpacks[diffID] = task
        defer { unpacks[diffID] = nil }
        try await task.value
    }
}
