/// A group of containers placed together on one minion, sharing network and volumes.
public struct Pod: SpecCarryingObject, StatusSubresourceObject {
    public static let kind = "Pod"
    public static let resource = "pods"
    public static let namespaced = true
    public static let shortNames = ["po"]
    public static let categories = ["all"]

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: PodSpec?
    /// Written by the scheduler (via binding) and the kubelet (via the status subresource).
    public var status: PodStatus?

    public init(metadata: ObjectMeta = ObjectMeta(), spec: PodSpec? = PodSpec(), status: PodStatus? = nil) {
        self.apiVersion = "v1"
        self.kind = Pod.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    public func fieldValue(_ field: String) -> String? {
        switch field {
        case "spec.nodeName": spec?.nodeName ?? ""
        case "spec.restartPolicy": spec?.restartPolicy?.rawValue ?? ""
        case "status.phase": status?.phase?.rawValue ?? ""
        case "status.podIP": status?.podIP ?? ""
        default: metadata.fieldValue(field)
        }
    }
}

public struct PodSpec: Codable, Sendable, Equatable {
    public var volumes: [Volume]?
    public var containers: [Container]
    public var restartPolicy: RestartPolicy?
    public var terminationGracePeriodSeconds: Int64?
    public var dnsPolicy: String?
    public var nodeSelector: [String: String]?
    /// The minion the pod is bound to; empty until the scheduler binds it.
    public var nodeName: String?
    public var hostNetwork: Bool?

    public init(containers: [Container] = [], volumes: [Volume]? = nil, restartPolicy: RestartPolicy? = nil,
                nodeSelector: [String: String]? = nil, nodeName: String? = nil) {
        self.containers = containers
        self.volumes = volumes
        self.restartPolicy = restartPolicy
        self.nodeSelector = nodeSelector
        self.nodeName = nodeName
    }

    enum CodingKeys: String, CodingKey {
        case volumes, containers, restartPolicy, terminationGracePeriodSeconds, dnsPolicy, nodeSelector, nodeName
        case hostNetwork
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        volumes = try c.decodeIfPresent([Volume].self, forKey: .volumes)
        // A missing list is reported by validation ("spec.containers: Required value"), not as a decode error.
        containers = try c.decodeIfPresent([Container].self, forKey: .containers) ?? []
        restartPolicy = try c.decodeIfPresent(RestartPolicy.self, forKey: .restartPolicy)
        terminationGracePeriodSeconds = try c.decodeIfPresent(Int64.self, forKey: .terminationGracePeriodSeconds)
        dnsPolicy = try c.decodeIfPresent(String.self, forKey: .dnsPolicy)
        nodeSelector = try c.decodeIfPresent([String: String].self, forKey: .nodeSelector)
        nodeName = try c.decodeIfPresent(String.self, forKey: .nodeName)
        hostNetwork = try c.decodeIfPresent(Bool.self, forKey: .hostNetwork)
    }
}

public enum RestartPolicy: String, Codable, Sendable, CaseIterable {
    case always = "Always"
    case onFailure = "OnFailure"
    case never = "Never"
}

public struct Container: Codable, Sendable, Equatable {
    public var name: String
    public var image: String?
    public var command: [String]?
    public var args: [String]?
    public var workingDir: String?
    public var ports: [ContainerPort]?
    public var env: [EnvVar]?
    public var resources: ResourceRequirements?
    public var volumeMounts: [VolumeMount]?
    public var imagePullPolicy: PullPolicy?
    public var terminationMessagePath: String?
    public var securityContext: SecurityContext?

    public init(name: String, image: String?, command: [String]? = nil, args: [String]? = nil,
                ports: [ContainerPort]? = nil, env: [EnvVar]? = nil, volumeMounts: [VolumeMount]? = nil,
                resources: ResourceRequirements? = nil) {
        self.name = name
        self.image = image
        self.command = command
        self.args = args
        self.ports = ports
        self.env = env
        self.volumeMounts = volumeMounts
        self.resources = resources
    }

    enum CodingKeys: String, CodingKey {
        case name, image, command, args, workingDir, ports, env, resources, volumeMounts, imagePullPolicy
        case terminationMessagePath, securityContext
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // A missing name is a validation error with a path, not a decode failure.
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        image = try c.decodeIfPresent(String.self, forKey: .image)
        command = try c.decodeIfPresent([String].self, forKey: .command)
        args = try c.decodeIfPresent([String].self, forKey: .args)
        workingDir = try c.decodeIfPresent(String.self, forKey: .workingDir)
        ports = try c.decodeIfPresent([ContainerPort].self, forKey: .ports)
        env = try c.decodeIfPresent([EnvVar].self, forKey: .env)
        resources = try c.decodeIfPresent(ResourceRequirements.self, forKey: .resources)
        volumeMounts = try c.decodeIfPresent([VolumeMount].self, forKey: .volumeMounts)
        imagePullPolicy = try c.decodeIfPresent(PullPolicy.self, forKey: .imagePullPolicy)
        terminationMessagePath = try c.decodeIfPresent(String.self, forKey: .terminationMessagePath)
        securityContext = try c.decodeIfPresent(SecurityContext.self, forKey: .securityContext)
    }
}

public struct SecurityContext: Codable, Sendable, Equatable {
    public var privileged: Bool?
    public init(privileged: Bool? = nil) { self.privileged = privileged }
}

public enum PullPolicy: String, Codable, Sendable, CaseIterable {
    case always = "Always"
    case ifNotPresent = "IfNotPresent"
    case never = "Never"
}

public struct ContainerPort: Codable, Sendable, Equatable {
    public var name: String?
    public var containerPort: Int
    public var hostPort: Int?
    public var hostIP: String?
    public var `protocol`: PortProtocol?

    public init(name: String? = nil, containerPort: Int, hostPort: Int? = nil, protocol proto: PortProtocol? = nil) {
        self.name = name
        self.containerPort = containerPort
        self.hostPort = hostPort
        self.protocol = proto
    }

    enum CodingKeys: String, CodingKey { case name, containerPort, hostPort, hostIP, `protocol` }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        // 0 is reported by validation as out of range, with the field path.
        containerPort = try c.decodeIfPresent(Int.self, forKey: .containerPort) ?? 0
        hostPort = try c.decodeIfPresent(Int.self, forKey: .hostPort)
        hostIP = try c.decodeIfPresent(String.self, forKey: .hostIP)
        `protocol` = try c.decodeIfPresent(PortProtocol.self, forKey: .protocol)
    }
}

/// A transport protocol. Unknown text is kept so validation can name it in its error.
public struct PortProtocol: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let tcp = PortProtocol(rawValue: "TCP")
    public static let udp = PortProtocol(rawValue: "UDP")
    public static let supported: [PortProtocol] = [.tcp, .udp]
    public var description: String { rawValue }
}

public struct EnvVar: Codable, Sendable, Equatable {
    public var name: String
    public var value: String?

    public init(name: String, value: String?) {
        self.name = name
        self.value = value
    }
}

public struct VolumeMount: Codable, Sendable, Equatable {
    public var name: String
    public var mountPath: String
    public var readOnly: Bool?

    public init(name: String, mountPath: String, readOnly: Bool? = nil) {
        self.name = name
        self.mountPath = mountPath
        self.readOnly = readOnly
    }
}

public struct Volume: Codable, Sendable, Equatable {
    public var name: String
    public var emptyDir: EmptyDirVolumeSource?
    public var hostPath: HostPathVolumeSource?

    public init(name: String, emptyDir: EmptyDirVolumeSource? = nil, hostPath: HostPathVolumeSource? = nil) {
        self.name = name
        self.emptyDir = emptyDir
        self.hostPath = hostPath
    }
}

public struct EmptyDirVolumeSource: Codable, Sendable, Equatable {
    /// `""` (disk) or `Memory` (tmpfs).
    public var medium: String?
    public init(medium: String? = nil) { self.medium = medium }
}

public struct HostPathVolumeSource: Codable, Sendable, Equatable {
    public var path: String
    public init(path: String) { self.path = path }
}

/// CPU and memory a container asks for (`requests`, used by the scheduler) and may not exceed (`limits`).
public struct ResourceRequirements: Codable, Sendable, Equatable {
    public var limits: [String: Quantity]?
    public var requests: [String: Quantity]?

    public init(limits: [String: Quantity]? = nil, requests: [String: Quantity]? = nil) {
        self.limits = limits
        self.requests = requests
    }
}

public enum PodPhase: String, Codable, Sendable, CaseIterable {
    case pending = "Pending"
    case running = "Running"
    case succeeded = "Succeeded"
    case failed = "Failed"
    case unknown = "Unknown"
}

public struct PodStatus: Codable, Sendable, Equatable {
    public var phase: PodPhase?
    public var conditions: [PodCondition]?
    public var message: String?
    public var reason: String?
    public var hostIP: String?
    public var podIP: String?
    public var startTime: Timestamp?
    public var containerStatuses: [ContainerStatus]?

    public init(phase: PodPhase? = nil) { self.phase = phase }
}

public struct PodCondition: Codable, Sendable, Equatable {
    /// `PodScheduled`, `Ready`, `Initialized`, `ContainersReady`.
    public var type: String
    /// `True`, `False` or `Unknown`.
    public var status: String
    public var reason: String?
    public var message: String?
    public var lastProbeTime: Timestamp?
    public var lastTransitionTime: Timestamp?

    public init(type: String, status: String, reason: String? = nil, message: String? = nil,
                lastTransitionTime: Timestamp? = nil) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
    }
}

public struct ContainerStatus: Codable, Sendable, Equatable {
    public var name: String
    public var state: ContainerState?
    public var lastState: ContainerState?
    public var ready: Bool
    public var restartCount: Int
    public var image: String
    public var imageID: String?
    public var containerID: String?

    public init(name: String, state: ContainerState?, ready: Bool, restartCount: Int, image: String) {
        self.name = name
        self.state = state
        self.ready = ready
        self.restartCount = restartCount
        self.image = image
    }
}

/// Exactly one of `waiting`, `running`, `terminated` is set.
public struct ContainerState: Codable, Sendable, Equatable {
    public var waiting: ContainerStateWaiting?
    public var running: ContainerStateRunning?
    public var terminated: ContainerStateTerminated?

    public init(waiting: ContainerStateWaiting? = nil, running: ContainerStateRunning? = nil,
                terminated: ContainerStateTerminated? = nil) {
        self.waiting = waiting
        self.running = running
        self.terminated = terminated
    }
}

public struct ContainerStateWaiting: Codable, Sendable, Equatable {
    public var reason: String?
    public var message: String?
    public init(reason: String? = nil, message: String? = nil) {
        self.reason = reason
        self.message = message
    }
}

public struct ContainerStateRunning: Codable, Sendable, Equatable {
    public var startedAt: Timestamp?
    public init(startedAt: Timestamp? = nil) { self.startedAt = startedAt }
}

public struct ContainerStateTerminated: Codable, Sendable, Equatable {
    public var exitCode: Int32
    public var signal: Int32?
    public var reason: String?
    public var message: String?
    public var startedAt: Timestamp?
    public var finishedAt: Timestamp?
    public var containerID: String?

    public init(exitCode: Int32, signal: Int32? = nil, reason: String? = nil, message: String? = nil,
                startedAt: Timestamp? = nil, finishedAt: Timestamp? = nil) {
        self.exitCode = exitCode
        self.signal = signal
        self.reason = reason
        self.message = message
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}
