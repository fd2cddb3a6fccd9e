/// The part of the OCI runtime spec (config.json) that Orca writes for runc.
/// Field names are the spec's; optional fields stay out of the JSON when nil.
struct OCISpec: Codable, Sendable {
    var ociVersion = "1.0.2"
    var process: Process
    var root: Root
    var hostname: String?
    var mounts: [Mount]
    var linux: Linux

    struct Process: Codable, Sendable {
        var terminal = false
        var user: User
        var args: [String]
        var env: [String]
        var cwd: String
        var capabilities: Capabilities
        var rlimits: [Rlimit]
        var noNewPrivileges = false
        var oomScoreAdj: Int?
    }

    struct User: Codable, Sendable {
        var uid: UInt32
        var gid: UInt32
        var additionalGids: [UInt32]?
    }

    struct Capabilities: Codable, Sendable {
        var bounding: [String]
        var effective: [String]
        var permitted: [String]
        var inheritable: [String]?

        init(_ names: [String]) {
            bounding = names
            effective = names
            permitted = names
        }
    }

    struct Rlimit: Codable, Sendable {
        var type: String
        var hard: UInt64
        var soft: UInt64
    }

    struct Root: Codable, Sendable {
        var path: String
        var readonly = false
    }

    struct Mount: Codable, Sendable {
        var destination: String
        var type: String?
        var source: String?
        var options: [String]?
    }

    struct Linux: Codable, Sendable {
        var cgroupsPath: String?
        var resources: Resources
        var namespaces: [Namespace]
        var maskedPaths: [String]
        var readonlyPaths: [String]
    }

    struct Namespace: Codable, Sendable {
        var type: String
        var path: String?
    }

    struct Resources: Codable, Sendable {
        var devices: [DeviceRule]
        var memory: Memory?
        var cpu: CPU?
        var pids: Pids?
    }

    struct DeviceRule: Codable, Sendable {
        var allow: Bool
        var access: String
    }

    struct Memory: Codable, Sendable {
        var limit: Int64?
        /// Equal to the limit: no swap on top, so exceeding the limit means the OOM killer.
        var swap: Int64?
    }

    struct CPU: Codable, Sendable {
        var shares: UInt64?
        var quota: Int64?
        var period: UInt64?
    }

    struct Pids: Codable, Sendable {
        var limit: Int64
    }
}

extension OCISpec {
    /// Docker's default capability set: enough for ordinary servers (bind low ports, chown,
    /// ping with CAP_NET_RAW), nothing that reaches the host (no SYS_ADMIN, NET_ADMIN, SYS_MODULE).
    static let defaultCapabilities = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
        "CAP_KILL", "CAP_AUDIT_WRITE",
    ]

    static let standardMounts: [Mount] = [
        Mount(destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"]),
        Mount(destination: "/dev", type: "tmpfs", source: "tmpfs",
              options: ["nosuid", "strictatime", "mode=755", "size=65536k"]),
        Mount(destination: "/dev/pts", type: "devpts", source: "devpts",
              options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
        Mount(destination: "/dev/shm", type: "tmpfs", source: "shm",
              options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
        Mount(destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"]),
        Mount(destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"]),
        Mount(destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup",
              options: ["nosuid", "noexec", "nodev", "relatime", "ro"]),
    ]

    static let maskedPaths = [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
    ]

    static let readonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
}
