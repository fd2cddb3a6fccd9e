#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import OrcaAPI
import OrcaClient
import OrcaRuntime

#if canImport(Glibc)
import Glibc
#endif

/// Registers the minion as a Node and posts its status (Ready, capacity, addresses, the
/// kubelet's port) every heartbeat; registers again if the Node is deleted.
struct NodeReporter: Sendable {
    /// The Kubernetes version whose API the kubelet speaks, with Orca's own after it (kubectl
    /// shows it in `get nodes`' VERSION column).
    static let kubeletVersion = "v1.32.0-orca.0.1"

    let configuration: KubeletConfiguration
    let client: OrcaClient
    let logger: Logger

    /// Creates the Node or takes over the existing one; returns its pod CIDR (nil if the master
    /// assigned none and none was asked for).
    func register(kubeletPort: Int) async throws -> String? {
        var labels = ["kubernetes.io/hostname": configuration.nodeName]
        labels["kubernetes.io/os"] = "linux"
        let node = Node(metadata: ObjectMeta(name: configuration.nodeName, labels: labels),
                        spec: NodeSpec(podCIDR: configuration.podCIDR),
                        status: status(kubeletPort: kubeletPort))
        do {
            return try await client.create(node).spec?.podCIDR
        } catch let error as APIError where error.reason == .alreadyExists {
            let existing = try await client.get(Node.self, name: configuration.nodeName)
            _ = try await client.updateStatus(node)
            return existing.spec?.podCIDR
        }
    }

    /// One heartbeat: the whole status with Ready True now. Re-registers a deleted Node.
    func heartbeat(kubeletPort: Int) async throws {
        let node = Node(metadata: ObjectMeta(name: configuration.nodeName), spec: nil,
                        status: status(kubeletPort: kubeletPort))
        do {
            _ = try await client.updateStatus(node)
        } catch let error as APIError where error.reason == .notFound {
            _ = try await register(kubeletPort: kubeletPort)
        }
    }

    func status(kubeletPort: Int) -> NodeStatus {
        var info = Self.hostInfo
        info.kubeletVersion = Self.kubeletVersion
        info.kubeProxyVersion = Self.kubeletVersion
        var status = NodeStatus.ready(
            name: configuration.nodeName, hostIP: configuration.hostIP, cpu: configuration.capacityCPU,
            memory: configuration.capacityMemory, maxPods: configuration.maxPods, reason: "KubeletReady",
            message: "kubelet is posting ready status", nodeInfo: info, now: .now())
        status.daemonEndpoints = NodeDaemonEndpoints(kubeletEndpoint: DaemonEndpoint(port: kubeletPort))
        return status
    }

    /// The host's identity as Kubernetes' kubelet reads it: machine-id, DMI product UUID, boot id,
    /// os-release's PRETTY_NAME, the kernel release.
    static let hostInfo: NodeSystemInfo = {
        var info = NodeSystemInfo()
        info.machineID = firstLine("/etc/machine-id") ?? ""
        info.systemUUID = firstLine("/sys/class/dmi/id/product_uuid") ?? ""
        info.bootID = firstLine("/proc/sys/kernel/random/boot_id") ?? ""
        info.osImage = osImage() ?? "Linux"
        info.kernelVersion = kernelVersion
        info.containerRuntimeVersion = "runc://1"
        info.operatingSystem = "linux"
        info.architecture = "amd64"
        return info
    }()

    private static func firstLine(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        return line.isEmpty ? nil : line
    }

    private static func osImage() -> String? {
        guard let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return String(line.dropFirst("PRETTY_NAME=".count)).replacing("\"", with: "")
        }
        return nil
    }

    static let kernelVersion: String = {
        var name = utsname()
        uname(&name)
        return withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }()
}
