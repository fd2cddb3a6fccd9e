#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An image in the store, ready to run: its resolved identity, what to run, and its
/// unpacked layers.
public struct Image: Sendable, Hashable {
    /// The normalised reference it is known by (`docker.io/library/busybox:latest`).
    public let reference: ImageReference
    /// Digest of the single-platform manifest (the linux/amd64 entry of a list).
    public let digest: Digest
    /// Digest of what the reference resolved to: the index or manifest list for a
    /// multi-platform image, else the same as ``digest``. This is what `docker pull`
    /// prints and what pulling `name@digest` pins.
    public let targetDigest: Digest
    /// The image ID: the digest of the config blob (`docker images` shows its first 12 hex).
    public let id: Digest
    /// The config: entrypoint, cmd, env, working directory, user, diff IDs.
    public let configuration: ImageConfiguration
    /// The unpacked layer directories, base layer first. They are shared and read-only:
    /// never write into them; make a ``Rootfs`` instead.
    public let layers: [URL]
    /// Bytes of the layers as stored by the registry (compressed sizes from the manifest).
    public let size: Int64

    /// `ENTRYPOINT` (nil when the image sets none).
    public var entrypoint: [String]? { configuration.config?.entrypoint }
    /// `CMD` (nil when the image sets none).
    public var command: [String]? { configuration.config?.cmd }
    /// `ENV` as `KEY=value` strings.
    public var environment: [String] { configuration.config?.env ?? [] }
    /// `WORKDIR`, nil or empty for `/`.
    public var workingDirectory: String? { configuration.config?.workingDir }
    /// `USER` (`name`, `uid`, `uid:gid`...), nil for root.
    public var user: String? { configuration.config?.user }

    /// overlayfs `lowerdir` order: the top layer first.
    public var lowerDirectories: [URL] { layers.reversed() }
}

/// When ``ImageStore/ensure(_:policy:)`` goes to the registry (Kubernetes' `imagePullPolicy`).
public enum PullPolicy: String, Sendable, Codable, CaseIterable {
    /// Always ask the registry (what a tag resolves to may have changed); layers already
    /// unpacked are not downloaded again.
    case always = "Always"
    /// Pull only when the store does not have the image.
    case ifNotPresent = "IfNotPresent"
    /// Never pull; a missing image is ``ImageError/notPresent(_:)``.
    case never = "Never"

    /// Kubernetes' default: `Always` for `:latest` or no tag, `IfNotPresent` otherwise.
    public static func `default`(for reference: ImageReference) -> PullPolicy {
        reference.digest == nil && (reference.tag ?? "latest") == "latest" ? .always : .ifNotPresent
    }
}

/// What ``ImageStore/prune(keeping:)`` removed.
public struct PruneReport: Sendable, Equatable {
    /// References untagged because their image was not kept.
    public var removedReferences: [String] = []
    /// Blobs (manifests, configs, compressed layers) deleted.
    public var removedBlobs: [Digest] = []
    /// Unpacked layer directories deleted (by diff ID).
    public var removedLayers: [Digest] = []
    /// Bytes of files freed.
    public var freedBytes: Int64 = 0
}
