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
    static let kubeletVersion = "orca-0.1"

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
        var info = NodeSystemInfo()
        info.kubeletVersion = Self.kubeletVersion
        info.containerRuntimeVersion = "runc"
        info.operatingSystem = "linux"
        info.architecture = "amd64"
        info.kernelVersion = Self.kernelVersion
        var status = NodeStatus.ready(
            name: configuration.nodeName, hostIP: configuration.hostIP, cpu: configuration.capacityCPU,
            memory: configuration.capacityMemory, maxPods: configuration.maxPods, reason: "KubeletReady",
            message: "kubelet is posting ready status", nodeInfo: info, now: .now())
        status.daemonEndpoints = NodeDaemonEndpoints(kubeletEndpoint: DaemonEndpoint(port: kubeletPort))
        return status
    }

    static let kernelVersion: String = {
        var name = utsname()
        uname(&name)
        return withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }()
}
