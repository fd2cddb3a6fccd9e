#if canImport(Glibc)
import Glibc
#endif

/// Everything runc needs to start one container: the kubelet fills it from the pod and the image.
public struct ContainerConfig: Sendable, Hashable {
    /// A bind mount from the host (an emptyDir, a hostPath, the pod's /etc/hosts).
    public struct BindMount: Sendable, Hashable {
        public var source: String
        public var destination: String
        public var readOnly: Bool

        public init(source: String, destination: String, readOnly: Bool = false) {
            self.source = source
            self.destination = destination
            self.readOnly = readOnly
        }
    }

    /// The runc container id: unique on this host.
    public var id: String
    /// The container's root filesystem (a mounted image, or any directory).
    public var rootfs: String
    public var arguments: [String]
    /// `KEY=VALUE` lines.
    public var environment: [String]
    public var workingDirectory: String
    public var uid: UInt32
    public var gid: UInt32
    public var hostname: String?
    public var mounts: [BindMount]
    /// The pod's network namespace (`/var/run/netns/NAME`); nil gives the container its own, empty one.
    public var networkNamespace: String?
    /// The cgroup (under each v1 controller) that holds the container: `/orca/<pod>/<container>`.
    public var cgroupPath: String
    /// Bytes; exceeding it wakes the OOM killer.
    public var memoryLimit: Int64?
    /// CPU limit in thousandths of a core (a CFS quota over a 100 ms period).
    public var cpuLimitMillis: Int64?
    /// CPU request in thousandths of a core (cpu.shares, 1024 per core, as Kubernetes maps it).
    public var cpuRequestMillis: Int64?
    /// Where stdout and stderr go (appended).
    public var logPath: String

    public init(id: String, rootfs: String, arguments: [String], environment: [String] = [],
                workingDirectory: String = "/", uid: UInt32 = 0, gid: UInt32 = 0, hostname: String? = nil,
                mounts: [BindMount] = [], networkNamespace: String? = nil, cgroupPath: String,
                memoryLimit: Int64? = nil, cpuLimitMillis: Int64? = nil, cpuRequestMillis: Int64? = nil,
                logPath: String) {
        self.id = id
        self.rootfs = rootfs
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.uid = uid
        self.gid = gid
        self.hostname = hostname
        self.mounts = mounts
        self.networkNamespace = networkNamespace
        self.cgroupPath = cgroupPath
        self.memoryLimit = memoryLimit
        self.cpuLimitMillis = cpuLimitMillis
        self.cpuRequestMillis = cpuRequestMillis
        self.logPath = logPath
    }

    /// The config.json runc reads.
    var ociSpec: OCISpec {
        let hasPath = environment.contains { $0.hasPrefix("PATH=") }
        let env = hasPath ? environment : ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] + environment
        var namespaces = ["pid", "ipc", "uts", "mount"].map { OCISpec.Namespace(type: $0) }
        namespaces.append(OCISpec.Namespace(type: "network", path: networkNamespace))
        let binds = mounts.map { mount in
            OCISpec.Mount(destination: mount.destination, type: "bind", source: mount.source,
                          options: ["rbind", "rprivate", mount.readOnly ? "ro" : "rw"])
        }
        let period: UInt64 = 100_000
        let cpu: OCISpec.CPU? = cpuLimitMillis == nil && cpuRequestMillis == nil ? nil : OCISpec.CPU(
            shares: cpuRequestMillis.map { UInt64(max(2, $0 * 1024 / 1000)) },
            quota: cpuLimitMillis.map { max(1_000, $0 * Int64(period) / 1000) },
            period: cpuLimitMillis == nil ? nil : period)
        return OCISpec(
            process: OCISpec.Process(
                user: OCISpec.User(uid: uid, gid: gid),
                args: arguments, env: env, cwd: workingDirectory,
                capabilities: OCISpec.Capabilities(OCISpec.defaultCapabilities),
                rlimits: [Self.hostLimit("RLIMIT_NOFILE", Int32(RLIMIT_NOFILE.rawValue))]),
            root: OCISpec.Root(path: rootfs),
            hostname: hostname,
            mounts: OCISpec.standardMounts + binds,
            linux: OCISpec.Linux(
                cgroupsPath: cgroupPath,
                resources: OCISpec.Resources(
                    devices: [OCISpec.DeviceRule(allow: false, access: "rwm")],
                    memory: memoryLimit.map { OCISpec.Memory(limit: $0, swap: $0) },
                    cpu: cpu),
                namespaces: namespaces,
                maskedPaths: OCISpec.maskedPaths,
                readonlyPaths: OCISpec.readonlyPaths))
    }

    /// The host's own limit (this process's), so a container never asks for more than the
    /// host allows: without CAP_SYS_RESOURCE runc cannot raise a hard limit and fails.
    private static func hostLimit(_ name: String, _ resource: Int32) -> OCISpec.Rlimit {
        var limit = rlimit()
        getrlimit(resource, &limit)
        let hard = limit.rlim_max == rlim_t.max ? UInt64.max : UInt64(limit.rlim_max)
        let soft = limit.rlim_cur == rlim_t.max ? hard : UInt64(limit.rlim_cur)
        return OCISpec.Rlimit(type: name, hard: hard, soft: min(soft, hard))
    }
}
