/// A pointer to content: its type, digest and size (OCI `descriptor`).
public struct Descriptor: Codable, Hashable, Sendable {
    public var mediaType: String
    public var digest: Digest
    public var size: Int64
    /// Set on the entries of an index or manifest list.
    public var platform: Platform?
    public var annotations: [String: String]?
    /// Where a foreign (Windows) layer may be fetched from; informational here.
    public var urls: [String]?

    public init(mediaType: String, digest: Digest, size: Int64, platform: Platform? = nil,
                annotations: [String: String]? = nil) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.platform = platform
        self.annotations = annotations
    }
}

/// The OS and CPU an image is built for.
public struct Platform: Codable, Hashable, Sendable, CustomStringConvertible {
    public var os: String
    public var architecture: String
    public var variant: String?

    public init(os: String, architecture: String, variant: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
    }

    /// The only platform minions run: pods are x86-64 Linux containers.
    public static let linuxAMD64 = Platform(os: "linux", architecture: "amd64")

    public var description: String { "\(os)/\(architecture)" + (variant.map { "/" + $0 } ?? "") }

    /// Whether an index entry for `other` can run here (the variant is ignored for amd64,
    /// as containerd's default matcher does for v1-v4 levels).
    public func matches(_ other: Platform) -> Bool {
        os == other.os && architecture == other.architecture
            && (variant == nil || other.variant == nil || variant == other.variant || architecture == "amd64")
    }

    enum CodingKeys: String, CodingKey {
        case os, architecture, variant
    }
}
