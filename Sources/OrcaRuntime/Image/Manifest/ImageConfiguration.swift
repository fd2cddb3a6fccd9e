/// The image config blob (OCI `application/vnd.oci.image.config.v1+json`, Docker's
/// `container.image.v1+json`): what to run and the uncompressed digests of the layers.
public struct ImageConfiguration: Codable, Hashable, Sendable {
    public var architecture: String?
    public var os: String?
    public var config: ContainerConfig?
    public var rootfs: RootFS
    public var created: String?

    public init(architecture: String? = "amd64", os: String? = "linux", config: ContainerConfig? = nil,
                rootfs: RootFS) {
        self.architecture = architecture
        self.os = os
        self.config = config
        self.rootfs = rootfs
    }

    /// The process defaults a container gets unless the pod overrides them.
    public struct ContainerConfig: Codable, Hashable, Sendable {
        public var entrypoint: [String]?
        public var cmd: [String]?
        public var env: [String]?
        public var workingDir: String?
        public var user: String?
        public var exposedPorts: [String: EmptyObject]?
        public var labels: [String: String]?
        public var stopSignal: String?

        public init(entrypoint: [String]? = nil, cmd: [String]? = nil, env: [String]? = nil,
                    workingDir: String? = nil, user: String? = nil) {
            self.entrypoint = entrypoint
            self.cmd = cmd
            self.env = env
            self.workingDir = workingDir
            self.user = user
        }

        enum CodingKeys: String, CodingKey {
            case entrypoint = "Entrypoint", cmd = "Cmd", env = "Env", workingDir = "WorkingDir", user = "User"
            case exposedPorts = "ExposedPorts", labels = "Labels", stopSignal = "StopSignal"
        }
    }

    /// `diff_ids`: the sha256 of each layer's uncompressed tar, base first. The unpacker
    /// checks them, and layer directories are named after them so that the same layer
    /// pulled (gzip) and loaded (plain tar) is unpacked once.
    public struct RootFS: Codable, Hashable, Sendable {
        public var type: String
        public var diffIDs: [Digest]

        public init(diffIDs: [Digest]) {
            type = "layers"
            self.diffIDs = diffIDs
        }

        enum CodingKeys: String, CodingKey {
            case type
            case diffIDs = "diff_ids"
        }
    }

    /// `{}`, the value type of `ExposedPorts` and `Volumes`.
    public struct EmptyObject: Codable, Hashable, Sendable {}
}
