#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OrcaAPI
import OrcaRuntime

extension PodManager {
    /// The pod's volumes as host directories: an emptyDir is made under the pod's directory
    /// (it lives as long as the pod, across container restarts); a hostPath (v1beta1
    /// hostDir) is the host's own directory, made if missing as Docker does for a bind mount.
    func prepareVolumes(_ pod: Pod) throws -> [String: String] {
        let uid = pod.metadata.uid ?? ""
        var volumes: [String: String] = [:]
        for volume in pod.spec?.volumes ?? [] {
            if let hostPath = volume.hostPath {
                if !FileManager.default.fileExists(atPath: hostPath.path) {
                    try FileManager.default.createDirectory(atPath: hostPath.path, withIntermediateDirectories: true)
                }
                volumes[volume.name] = hostPath.path
            } else {
                // emptyDir, and a volume with no source (v1beta1's default is an emptyDir too).
                let directory = podDirectory(uid).appendingPathComponent("volumes/\(volume.name)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                volumes[volume.name] = directory.path
            }
        }
        return volumes
    }

    /// /etc/resolv.conf for the pod's containers when the cluster has DNS: its nameserver and
    /// Kubernetes' search path for the pod's namespace. Nil when there is none.
    func writeResolvConf(_ pod: Pod) throws -> String? {
        let nameserver: String? = switch configuration.clusterDNS {
        case .none: nil
        case .gateway: network.withLock { $0?.gateway }
        case .address(let address): address
        }
        guard let nameserver else { return nil }
        let namespace = pod.metadata.namespace ?? "default"
        let domain = configuration.clusterDomain
        let text = """
            nameserver \(nameserver)
            search \(namespace).svc.\(domain) svc.\(domain) \(domain)
            options ndots:5

            """
        let path = podDirectory(pod.metadata.uid ?? "").appendingPathComponent("resolv.conf")
        try text.write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }

    /// /etc/hosts for every container of the pod: localhost and the pod's own name and IP.
    func writeHostsFile(_ pod: Pod, ip: String) throws {
        let directory = podDirectory(pod.metadata.uid ?? "")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let text = """
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            \(ip)\t\(pod.metadata.name ?? "")

            """
        try text.write(to: directory.appendingPathComponent("etc-hosts"), atomically: true, encoding: .utf8)
    }
}

extension PodManager {
    /// Removes the images none of this minion's pods' containers uses (running or to be
    /// restarted: every container the kubelet knows keeps its image).
    func pruneImages() async throws -> PruneReport {
        let inUse = records.withLock { records in
            Set(records.values.flatMap { $0.containers.values.compactMap(\.imageID) }.compactMap { Digest($0) })
        }
        let report = try await images.prune(keeping: inUse)
        logger.info("images pruned", metadata: ["references": "\(report.removedReferences.count)",
                                                "bytes": "\(report.freedBytes)"])
        return report
    }
}
