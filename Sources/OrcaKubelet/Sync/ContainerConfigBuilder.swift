#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OrcaAPI
import OrcaRuntime

/// A pod's container + its image -> what runc runs. Pure, apart from reading the image's
/// `/etc/passwd` for a user given by name.
///
/// Command and args follow Kubernetes: `command` replaces the image's ENTRYPOINT (and drops
/// its CMD), `args` replaces CMD. Environment: the image's, then the services' variables,
/// then the container's own `env` (a later one of the same name wins).
struct ContainerConfigBuilder {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    var pod: Pod
    var container: Container
    var image: Image
    var runcID: String
    var rootfs: String
    var logPath: String
    var networkNamespace: String?
    /// Volume name -> host directory (emptyDir's directory or hostPath's path).
    var volumes: [String: String]
    /// The pod's generated /etc/hosts.
    var hostsFile: String?
    /// The pod's generated /etc/resolv.conf (cluster DNS), nil to keep the image's.
    var resolvConf: String? = nil
    /// The seed's service variables (`{NAME}_SERVICE_HOST`...), from the services hook.
    var serviceEnvironment: [EnvVar]
    var cgroupParent: String

    func build() throws -> ContainerConfig {
        let arguments = Self.arguments(command: container.command, args: container.args,
                                       entrypoint: image.entrypoint, cmd: image.command)
        guard !arguments.isEmpty else {
            throw Failure(description: "no command: the image sets no ENTRYPOINT or CMD and the container no command")
        }
        var mounts: [ContainerConfig.BindMount] = []
        for mount in container.volumeMounts ?? [] {
            guard let source = volumes[mount.name] else {
                throw Failure(description: "volume \"\(mount.name)\" is not defined in the pod")
            }
            mounts.append(.init(source: source, destination: mount.mountPath, readOnly: mount.readOnly ?? false))
        }
        if let hostsFile, !mounts.contains(where: { $0.destination == "/etc/hosts" }) {
            mounts.append(.init(source: hostsFile, destination: "/etc/hosts", readOnly: false))
        }
        if let resolvConf, !mounts.contains(where: { $0.destination == "/etc/resolv.conf" }) {
            mounts.append(.init(source: resolvConf, destination: "/etc/resolv.conf", readOnly: true))
        }
        let (uid, gid) = try Self.user(image.user, rootfs: rootfs)
        let limits = container.resources?.limits ?? [:]
        let requests = container.resources?.requests ?? [:]
        return ContainerConfig(
            id: runcID, rootfs: rootfs, arguments: arguments,
            environment: Self.environment(image: image.environment, services: serviceEnvironment,
                                          container: container.env ?? []),
            workingDirectory: nonEmpty(container.workingDir) ?? nonEmpty(image.workingDirectory) ?? "/",
            uid: uid, gid: gid, hostname: pod.metadata.name, mounts: mounts, networkNamespace: networkNamespace,
            cgroupPath: cgroupParent + "/" + container.name,
            memoryLimit: limits["memory"].map { $0.value },
            cpuLimitMillis: limits["cpu"].map { $0.milliValue },
            cpuRequestMillis: (requests["cpu"] ?? limits["cpu"]).map { $0.milliValue },
            logPath: logPath)
    }

    static func arguments(command: [String]?, args: [String]?, entrypoint: [String]?, cmd: [String]?) -> [String] {
        if let command, !command.isEmpty { return command + (args ?? []) }
        return (entrypoint ?? []) + (args ?? cmd ?? [])
    }

    static func environment(image: [String], services: [EnvVar], container: [EnvVar]) -> [String] {
        var order: [String] = []
        var values: [String: String] = [:]
        func set(_ name: String, _ value: String) {
            if values[name] == nil { order.append(name) }
            values[name] = value
        }
        for line in image {
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            set(String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }
        for variable in services + container { set(variable.name, variable.value ?? "") }
        return order.map { "\($0)=\(values[$0] ?? "")" }
    }

    /// The image's USER as uid and gid: numbers as they are, names looked up in the image's
    /// /etc/passwd and /etc/group.
    static func user(_ user: String?, rootfs: String) throws -> (UInt32, UInt32) {
        guard let user, !user.isEmpty else { return (0, 0) }
        let parts = user.split(separator: ":", maxSplits: 1).map(String.init)
        let uid: UInt32
        var gid: UInt32?
        if let number = UInt32(parts[0]) {
            uid = number
        } else if let entry = lookup(parts[0], in: rootfs + "/etc/passwd") {
            uid = UInt32(entry[2]) ?? 0
            gid = UInt32(entry[3])
        } else {
            throw Failure(description: "user \"\(parts[0])\" is not in the image's /etc/passwd")
        }
        if parts.count > 1 {
            if let number = UInt32(parts[1]) {
                gid = number
            } else if let entry = lookup(parts[1], in: rootfs + "/etc/group") {
                gid = UInt32(entry[2])
            } else {
                throw Failure(description: "group \"\(parts[1])\" is not in the image's /etc/group")
            }
        }
        return (uid, gid ?? 0)
    }

    private static func lookup(_ name: String, in file: String) -> [String]? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            if fields.count >= 4, fields[0] == name { return fields }
        }
        return nil
    }

    private func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
