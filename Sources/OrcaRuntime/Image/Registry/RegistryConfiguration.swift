#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where and how images are pulled: mirrors, insecure (plain HTTP) registries,
/// credentials, the platform picked from manifest lists, timeouts.
///
/// Modelled on k3s's `registries.yaml`: for a registry host, its mirror endpoints are
/// tried in order, then the registry itself. An endpoint is a URL whose scheme says HTTP or
/// HTTPS; requests go to `<endpoint>/v2/<repository>/...` with the repository path kept
/// (`library/busybox` on a docker.io mirror).
public struct RegistryConfiguration: Sendable {
    /// Registry host (`docker.io`, `quay.io`, or `*` for every registry without its own
    /// entry) -> mirror endpoints, tried in order before the registry itself.
    public var mirrors: [String: [URL]]
    /// Registry hosts (`host:port` as in the reference) spoken to over plain HTTP, like
    /// Docker's `insecure-registries`.
    public var insecureRegistries: Set<String>
    /// Credentials by registry host (or mirror endpoint host), used for Basic auth and to
    /// ask token services for more than anonymous pull.
    public var credentials: [String: Credentials]
    /// The platform chosen from indexes and manifest lists.
    public var platform: Platform
    /// Bound on a manifest or token request.
    public var requestTimeout: Duration
    /// Bound on one blob download (layers can be large; this catches a stalled transfer).
    public var blobTimeout: Duration
    /// Layers downloaded at once in one pull (Docker's default is 3).
    public var maxConcurrentDownloads: Int

    public init(mirrors: [String: [URL]] = [:], insecureRegistries: Set<String> = [],
                credentials: [String: Credentials] = [:], platform: Platform = .linuxAMD64,
                requestTimeout: Duration = .seconds(30), blobTimeout: Duration = .seconds(30 * 60),
                maxConcurrentDownloads: Int = 3) {
        self.mirrors = mirrors
        self.insecureRegistries = insecureRegistries
        self.credentials = credentials
        self.platform = platform
        self.requestTimeout = requestTimeout
        self.blobTimeout = blobTimeout
        self.maxConcurrentDownloads = maxConcurrentDownloads
    }

    /// A user name and password (or token as password) for a registry.
    public struct Credentials: Sendable, Hashable {
        public var username: String
        public var password: String

        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    /// Adds a mirror from a flag value `HOST=URL` (`docker.io=http://10.245.2.1:5000`).
    public mutating func addMirror(_ flag: String) throws {
        let parts = flag.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, let url = URL(string: parts[1]),
              let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw ImageError.invalidConfiguration("mirror \"\(flag)\" is not HOST=http(s)://ENDPOINT")
        }
        mirrors[parts[0], default: []].append(url)
    }

    /// The endpoints to try for `registry`, mirrors first, then the registry itself.
    public func endpoints(for registry: String) -> [RegistryEndpoint] {
        let mirrorURLs = mirrors[registry] ?? mirrors["*"] ?? []
        var endpoints = mirrorURLs.map { RegistryEndpoint(base: $0.absoluteString, isMirror: true) }
        // Docker Hub's API does not live at docker.io itself.
        let host = registry == ImageReference.dockerHub ? "registry-1.docker.io" : registry
        let scheme = insecureRegistries.contains(registry) ? "http" : "https"
        endpoints.append(RegistryEndpoint(base: "\(scheme)://\(host)", isMirror: false))
        return endpoints
    }
}

/// One place to send distribution API requests: `base` is `scheme://host[:port][/path]`.
public struct RegistryEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var base: String
    public var isMirror: Bool

    public init(base: String, isMirror: Bool) {
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.isMirror = isMirror
    }

    /// `host[:port]` of the endpoint, for credentials and messages.
    public var host: String {
        let afterScheme = base.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first
        return afterScheme.map(String.init) ?? base
    }

    public var description: String { base }
}
