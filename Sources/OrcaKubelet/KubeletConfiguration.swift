#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OrcaAPI
import OrcaRuntime

/// What `orca minion` is told: who it is, where the master is, where it keeps its state.
public struct KubeletConfiguration: Sendable {
    /// The minion's name (the Node's `metadata.name`).
    public var nodeName: String
    /// The address other minions and the master reach this one at (`InternalIP`, pods' `hostIP`).
    public var hostIP: String
    /// The pod CIDR to ask for; nil takes the one the master assigns.
    public var podCIDR: String?
    /// Containers, images, volumes, logs, sandboxes live under this directory.
    public var dataDirectory: URL
    public var registry: RegistryConfiguration
    /// Where the kubelet's HTTP server (container logs) listens; port 0 picks a free one.
    public var listenHost: String = "0.0.0.0"
    public var listenPort: Int = 10250
    public var heartbeatInterval: Duration = .seconds(5)
    /// How often every pod is synced even without a change (catches what events missed).
    public var resyncInterval: Duration = .seconds(10)
    public var capacityCPU: Quantity
    public var capacityMemory: Quantity
    public var maxPods: Int = 110
    /// Restart backoff: first delay, cap, and how long a container must run to reset it.
    public var backoffInitial: Duration = .seconds(1)
    public var backoffCap: Duration = .seconds(300)
    public var backoffReset: Duration = .seconds(600)
    public var runc: String = "/usr/sbin/runc"
    public var cniPluginDirectory: String = "/usr/lib/cni"
    /// The bridge pods attach to.
    public var bridge: String = "cbr0"
    /// Run CNI plugins in this named network namespace (tests); nil = the kubelet's own.
    public var networkNamespace: String?
    /// The nameserver written into pods' /etc/resolv.conf: `.gateway` is the minion's bridge
    /// address (where `orca minion` runs its DNS server); `.none` leaves the image's file.
    public var clusterDNS: ClusterDNS = .none
    public var clusterDomain = "cluster.local"
    /// `Rootfs` mode: overlay where it works, else a copy.
    public var rootfsMode: Rootfs.Mode = .automatic

    public init(nodeName: String, hostIP: String, dataDirectory: URL, podCIDR: String? = nil,
                registry: RegistryConfiguration = RegistryConfiguration()) {
        self.nodeName = nodeName
        self.hostIP = hostIP
        self.dataDirectory = dataDirectory
        self.podCIDR = podCIDR
        self.registry = registry
        capacityCPU = Quantity(integer: Int64(ProcessInfo.processInfo.activeProcessorCount))
        capacityMemory = Quantity(integer: Int64(ProcessInfo.processInfo.physicalMemory))
    }

    var imagesDirectory: URL { dataDirectory.appendingPathComponent("images") }
    var podsDirectory: URL { dataDirectory.appendingPathComponent("pods") }
    var runcStateDirectory: URL { dataDirectory.appendingPathComponent("runc") }
    var bundlesDirectory: URL { dataDirectory.appendingPathComponent("containers") }
    var networkDirectory: URL { dataDirectory.appendingPathComponent("network") }
}

/// Where pods send DNS queries.
public enum ClusterDNS: Sendable, Equatable {
    case none
    /// The minion's bridge address (its pod CIDR's first address).
    case gateway
    case address(String)
}
