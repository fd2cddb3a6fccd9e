#if canImport(Glibc)
import Glibc
#endif

/// Why an image could not be pulled, loaded, unpacked or mounted.
///
/// The kubelet reports any of these as `ErrImagePull` (``notPresent`` as `ErrImageNeverPull`)
/// and retries with backoff when ``isRetryable`` says it may help.
public enum ImageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reference does not parse (`reason` says which part is wrong).
    case invalidReference(String, reason: String)
    /// No registry endpoint has this manifest or blob (HTTP 404 / `MANIFEST_UNKNOWN`).
    case notFound(String)
    /// The pull policy is `.never` and the image is not in the store.
    case notPresent(String)
    /// The registry or its token service refused us (401/403 after the token flow).
    case unauthorized(String, detail: String)
    /// No endpoint answered: connection refused, DNS, TLS, timeout, or a 5xx.
    case registryUnavailable(String, detail: String)
    /// Content did not hash to the digest it was asked for or announced with.
    case digestMismatch(expected: Digest, actual: Digest)
    /// A manifest or layer type we cannot use (schema 1, zstd layers, ...).
    case unsupportedMediaType(String)
    /// An index or manifest list has no linux/amd64 (or configured platform) entry.
    case noMatchingPlatform(String, available: [String])
    /// A manifest, index or image config that is not valid JSON of its kind.
    case invalidManifest(String)
    /// A layer that is not a readable (gzip) tar stream.
    case invalidLayer(String)
    /// A layer entry that would land outside the layer directory or write through a symlink.
    case unsafePath(String)
    /// An archive given to `load` that is neither a `docker save` nor an OCI archive.
    case invalidArchive(String)
    /// A file system operation failed with `errno`.
    case io(String, Int32)
    /// Mounting or unmounting a root file system failed with `errno`.
    case mount(String, Int32)
    /// A registry setting that cannot be used (a mirror flag that is not `HOST=URL`).
    case invalidConfiguration(String)

    /// Whether trying again later can succeed (a registry outage) or not (a bad reference).
    public var isRetryable: Bool {
        switch self {
        case .registryUnavailable, .io, .mount, .digestMismatch, .notFound, .unauthorized: true
        case .invalidReference, .notPresent, .unsupportedMediaType, .noMatchingPlatform, .invalidManifest,
             .invalidLayer, .unsafePath, .invalidArchive, .invalidConfiguration: false
        }
    }

    public var description: String {
        switch self {
        case .invalidReference(let reference, let reason): "invalid image reference \"\(reference)\": \(reason)"
        case .notFound(let what): "\(what): not found"
        case .notPresent(let reference): "image \(reference) is not present and the pull policy is Never"
        case .unauthorized(let what, let detail): "\(what): unauthorized: \(detail)"
        case .registryUnavailable(let registry, let detail): "registry \(registry) unavailable: \(detail)"
        case .digestMismatch(let expected, let actual): "digest mismatch: expected \(expected), got \(actual)"
        case .unsupportedMediaType(let type): "unsupported media type \(type)"
        case .noMatchingPlatform(let reference, let available):
            "\(reference): no manifest for linux/amd64 (has \(available.joined(separator: ", ")))"
        case .invalidManifest(let detail): "invalid manifest: \(detail)"
        case .invalidLayer(let detail): "invalid layer: \(detail)"
        case .unsafePath(let path): "layer entry \(path) escapes the layer or writes through a symlink"
        case .invalidArchive(let detail): "invalid image archive: \(detail)"
        case .io(let what, let error): "\(what): \(String(cString: strerror(error)))"
        case .mount(let what, let error): "\(what): \(String(cString: strerror(error)))"
        case .invalidConfiguration(let detail): detail
        }
    }
}
