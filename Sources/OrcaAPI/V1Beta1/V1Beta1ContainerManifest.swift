extension V1Beta1 {
    /// What a pod runs: containers and volumes (v1 `PodSpec`).
    public struct ContainerManifest: Codable, Sendable, Equatable {
        /// Always `v1beta1`.
        public var version: String?
        /// The pod's name; used as the name when the pod has no `id`.
        public var id: String?
        /// The pod's `uid` on output; ignored on input.
        public var uuid: String?
        public var volumes: [Volume]?
        public var containers: [Container]?
        public var restartPolicy: RestartPolicy?
        /// Later v1beta1 additions, kept so a v1 pod survives a v1beta1 read-modify-write.
        public var dnsPolicy: String?
        public var hostNetwork: Bool?
        public var terminationGracePeriodSeconds: Int64?

        public init(version: String? = V1Beta1.apiVersion, id: String? = nil, containers: [Container]? = nil,
                    volumes: [Volume]? = nil, restartPolicy: RestartPolicy? = nil) {
            self.version = version
            self.id = id
            self.containers = containers
            self.volumes = volumes
            self.restartPolicy = restartPolicy
        }
    }

    /// `{"always": {}}`, `{"onFailure": {}}` or `{"never": {}}`: exactly one is set.
    public struct RestartPolicy: Codable, Sendable, Equatable {
        public var always: Empty?
        public var onFailure: Empty?
        public var never: Empty?

        public init(always: Empty? = nil, onFailure: Empty? = nil, never: Empty? = nil) {
            self.always = always
            self.onFailure = onFailure
            self.never = never
        }
    }

    /// One container. `command` is the whole argv (v1 `command` + `args`); `memory` is bytes and
    /// `cpu` thousandths of a core, both limits.
    public struct Container: Codable, Sendable, Equatable {
        public var name: String?
        public var image: String?
        public var command: [String]?
        public var workingDir: String?
        public var ports: [Port]?
        public var env: [EnvVar]?
        /// Bytes (v1 `resources.limits.memory`). A JSON number; quantity text (`64Mi`) is accepted.
        public var memory: Int64?
        /// Thousandths of a core (v1 `resources.limits.cpu`, `100` = `100m`).
        public var cpu: Int64?
        public var volumeMounts: [VolumeMount]?
        public var terminationMessagePath: String?
        public var privileged: Bool?
        /// `PullAlways`, `PullNever` or `PullIfNotPresent`.
        public var imagePullPolicy: String?

        public init(name: String? = nil, image: String? = nil, command: [String]? = nil, ports: [Port]? = nil,
                    env: [EnvVar]? = nil, volumeMounts: [VolumeMount]? = nil) {
            self.name = name
            self.image = image
            self.command = command
            self.ports = ports
            self.env = env
            self.volumeMounts = volumeMounts
        }

        enum CodingKeys: String, CodingKey {
            case name, image, command, workingDir, ports, env, memory, cpu, volumeMounts, terminationMessagePath
            case privileged, imagePullPolicy
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            image = try c.decodeIfPresent(String.self, forKey: .image)
            command = try c.decodeIfPresent([String].self, forKey: .command)
            workingDir = try c.decodeIfPresent(String.self, forKey: .workingDir)
            ports = try c.decodeIfPresent([Port].self, forKey: .ports)
            env = try c.decodeIfPresent([EnvVar].self, forKey: .env)
            memory = try c.decodeIfPresent(Quantity.self, forKey: .memory).map(\.value)
            cpu = try Self.decodeCPU(c)
            volumeMounts = try c.decodeIfPresent([VolumeMount].self, forKey: .volumeMounts)
            terminationMessagePath = try c.decodeIfPresent(String.self, forKey: .terminationMessagePath)
            privileged = try c.decodeIfPresent(Bool.self, forKey: .privileged)
            imagePullPolicy = try c.decodeIfPresent(String.self, forKey: .imagePullPolicy)
        }

        /// A number is millicores (`100`); text is a quantity (`"250m"`, `"1"` = one core).
        private static func decodeCPU(_ c: KeyedDecodingContainer<CodingKeys>) throws -> Int64? {
            guard c.contains(.cpu), try !c.decodeNil(forKey: .cpu) else { return nil }
            if let millis = try? c.decode(Int64.self, forKey: .cpu) { return millis }
            return try c.decode(Quantity.self, forKey: .cpu).milliValue
        }
    }

    public struct Port: Codable, Sendable, Equatable {
        public var name: String?
        public var hostPort: Int?
        public var containerPort: Int?
        /// `TCP` or `UDP`.
        public var `protocol`: PortProtocol?
        public var hostIP: String?

        public init(name: String? = nil, hostPort: Int? = nil, containerPort: Int? = nil,
                    protocol proto: PortProtocol? = nil, hostIP: String? = nil) {
            self.name = name
            self.hostPort = hostPort
            self.containerPort = containerPort
            self.protocol = proto
            self.hostIP = hostIP
        }
    }

    /// An environment variable; the deprecated `key` is accepted as `name` on input.
    public struct EnvVar: Codable, Sendable, Equatable {
        public var name: String?
        public var value: String?

        public init(name: String?, value: String?) {
            self.name = name
            self.value = value
        }

        enum CodingKeys: String, CodingKey { case name, value, key }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name) ?? c.decodeIfPresent(String.self, forKey: .key)
            value = try c.decodeIfPresent(String.self, forKey: .value)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(name, forKey: .name)
            try c.encodeIfPresent(value, forKey: .value)
        }
    }

    /// Where a volume appears in a container; the deprecated `path` is accepted as `mountPath`.
    public struct VolumeMount: Codable, Sendable, Equatable {
        public var name: String?
        public var readOnly: Bool?
        public var mountPath: String?

        public init(name: String?, mountPath: String?, readOnly: Bool? = nil) {
            self.name = name
            self.mountPath = mountPath
            self.readOnly = readOnly
        }

        enum CodingKeys: String, CodingKey { case name, readOnly, mountPath, path }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            readOnly = try c.decodeIfPresent(Bool.self, forKey: .readOnly)
            mountPath = try c.decodeIfPresent(String.self, forKey: .mountPath)
                ?? c.decodeIfPresent(String.self, forKey: .path)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(name, forKey: .name)
            try c.encodeIfPresent(readOnly, forKey: .readOnly)
            try c.encodeIfPresent(mountPath, forKey: .mountPath)
        }
    }
}
