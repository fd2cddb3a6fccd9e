#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Removes by force what a minion's runtime leaves on the host when the minion is gone for good
/// (a stopped kubelet leaves its containers running on purpose): runc containers, root
/// filesystem mounts under its data directory, pod network namespaces, pods' cgroups.
/// Used by `orca down` and by test fixtures; a running kubelet cleans up after itself instead.
///
/// `dataDirectory` has the kubelet's layout: `runc/` (runc's root), `network/sandboxes/`
/// (one record per pod sandbox), `pods/<uid>/`.
public enum RuntimeResidue {
    public static func remove(dataDirectory: URL) async {
        let root = dataDirectory.appendingPathComponent("runc").path
        let listed = (try? await Command("/usr/sbin/runc", ["--root", root, "list", "-q"]).run()) ?? Data()
        for id in String(decoding: listed, as: UTF8.self).split(separator: "\n") {
            _ = try? await Command("/usr/sbin/runc", ["--root", root, "delete", "--force", String(id)]).output()
        }
        for line in ProcFile.mountInfo.split(separator: "\n") where line.contains(dataDirectory.path) {
            // Field 5 of a mountinfo line is the mount point.
            let fields = line.split(separator: " ")
            if fields.count > 4 { _ = try? await Command("/usr/bin/umount", ["-l", String(fields[4])]).output() }
        }
        let records = (try? FileManager.default.contentsOfDirectory(
            atPath: dataDirectory.appendingPathComponent("network/sandboxes").path)) ?? []
        for record in records where record.hasSuffix(".json") {
            let namespace = PodNetwork.namespacePrefix + record.dropLast(5)
            _ = try? await Command("/usr/sbin/ip", ["netns", "delete", namespace]).output()
        }
        let pods = (try? FileManager.default.contentsOfDirectory(
            atPath: dataDirectory.appendingPathComponent("pods").path)) ?? []
        for uid in pods { RuncRuntime.removeCgroups("/orca/\(uid)") }
    }
}
