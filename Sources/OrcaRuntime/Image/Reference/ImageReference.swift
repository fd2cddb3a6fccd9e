/// A normalised image reference: registry host, repository, and a tag and/or a digest.
///
/// Parsing follows Docker's rules so that what a pod names pulls what `docker pull` would:
/// a first path component is a registry host only if it contains `.` or `:` or is
/// `localhost`; otherwise the registry is `docker.io`, and a single-component name on
/// docker.io gets `library/` (`busybox` -> `docker.io/library/busybox:latest`). With
/// neither tag nor digest the tag is `latest`. With both, the digest decides what is
/// pulled and the tag is kept for display.
public struct ImageReference: Hashable, Sendable, CustomStringConvertible {
    /// Registry host as written, port included (`docker.io`, `127.0.0.1:5000`).
    public let registry: String
    /// Repository path inside the registry (`library/busybox`).
    public let repository: String
    /// The tag, if any; nil only when a digest was given without one.
    public let tag: String?
    /// The digest, when pulling by digest.
    public let digest: Digest?

    /// The registry every name without a host belongs to.
    public static let dockerHub = "docker.io"

    public init(registry: String, repository: String, tag: String?, digest: Digest?) {
        self.registry = registry
        self.repository = repository
        self.tag = tag ?? (digest == nil ? "latest" : nil)
        self.digest = digest
    }

    /// Parses and normalises `string`; throws ``ImageError/invalidReference(_:reason:)``.
    public init(parsing string: String) throws {
        func invalid(_ reason: String) -> ImageError { .invalidReference(string, reason: reason) }
        guard !string.isEmpty, string.count <= 4096 else { throw invalid("empty or too long") }
        var rest = Substring(string)
        var digest: Digest?
        if let at = rest.firstIndex(of: "@") {
            guard let parsed = Digest(String(rest[rest.index(after: at)...])) else {
                throw invalid("the digest must be sha256:<64 hex digits>")
            }
            digest = parsed
            rest = rest[..<at]
        }
        var tag: String?
        // A colon after the last slash separates the tag; one before it belongs to a host:port.
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            tag = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
        }
        var registry = Self.dockerHub
        if let slash = rest.firstIndex(of: "/") {
            let first = rest[..<slash]
            if first.contains(".") || first.contains(":") || first == "localhost" || first.lowercased() != first {
                registry = String(first)
                rest = rest[rest.index(after: slash)...]
            }
        }
        if registry == "index.docker.io" { registry = Self.dockerHub }
        var repository = String(rest)
        if registry == Self.dockerHub, !repository.contains("/") { repository = "library/" + repository }

        guard Self.isValidHost(registry) else { throw invalid("bad registry host \(registry)") }
        guard Self.isValidRepository(repository) else {
            throw invalid("the repository must be lowercase letters, digits and separators (. _ - /)")
        }
        if let tag, !Self.isValidTag(tag) {
            throw invalid("the tag must be 1-128 letters, digits, _ . - and not start with . or -")
        }
        self.init(registry: registry, repository: repository, tag: tag, digest: digest)
    }

    /// `registry/repository`, the name without tag or digest.
    public var name: String { registry + "/" + repository }

    /// The full normalised form (`docker.io/library/busybox:latest`, `host/x@sha256:...`).
    public var description: String {
        name + (tag.map { ":" + $0 } ?? "") + (digest.map { "@" + $0.description } ?? "")
    }

    /// What the manifest endpoint is asked for: the digest when there is one, else the tag.
    public var manifestReference: String { digest?.description ?? tag ?? "latest" }

    /// The same repository at `digest`, without the tag.
    public func withDigest(_ digest: Digest) -> ImageReference {
        ImageReference(registry: registry, repository: repository, tag: nil, digest: digest)
    }

    /// Docker's short form for display: `busybox:latest` for docker.io/library images.
    public var familiarName: String {
        var name = self.name
        if registry == Self.dockerHub {
            name = repository.hasPrefix("library/") ? String(repository.dropFirst(8)) : repository
        }
        return name + (tag.map { ":" + $0 } ?? "") + (digest.map { "@" + $0.description } ?? "")
    }

    private static func isValidHost(_ host: String) -> Bool {
        !host.isEmpty && host.utf8.allSatisfy { byte in
            isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
        }
    }

    private static func isValidRepository(_ repository: String) -> Bool {
        guard !repository.isEmpty, repository.count <= 255 else { return false }
        return repository.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { component in
            guard let first = component.utf8.first, let last = component.utf8.last,
                  isLowerAlphanumeric(first), isLowerAlphanumeric(last) else { return false }
            return component.utf8.allSatisfy { byte in
                isLowerAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                    || byte == UInt8(ascii: "-")
            }
        }
    }

    private static func isValidTag(_ tag: String) -> Bool {
        guard let first = tag.utf8.first, tag.utf8.count <= 128,
              first != UInt8(ascii: "."), first != UInt8(ascii: "-") else { return false }
        return tag.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            || $0 == UInt8(ascii: "-") }
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (97...122).contains(byte)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || (65...90).contains(byte)
    }
}
