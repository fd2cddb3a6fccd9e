#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OrcaAPI
import OrcaRuntime

#if canImport(Glibc)
import Glibc
#endif

extension PodManager {
    /// Stops and removes everything of a pod that is gone (deleted, or bound elsewhere): its
    /// containers get SIGTERM, then SIGKILL after the grace period; then containers, runc
    /// state, rootfs mounts, the network sandbox (veth, IP, namespace, host ports), volumes
    /// and logs are removed.
    func terminate(_ key: String) async {
        guard let record = records.withLock({ $0.removeValue(forKey: key) }) else { return }
        logger.info("pod removed", metadata: ["pod": "\(key)"])
        let grace = Duration.seconds(record.pod.spec?.terminationGracePeriodSeconds ?? 30)
        await withTaskGroup(of: Void.self) { group in
            for container in record.containers.values {
                guard container.isRunning, let id = container.runcID, let pid = container.pid else { continue }
                group.addTask { await self.stop(id: id, pid: pid, grace: grace) }
            }
        }
        await removeTraces(uid: record.uid, containerIDs: record.containers.values.compactMap(\.runcID))
    }

    /// SIGTERM, a grace period, SIGKILL.
    func stop(id: String, pid: pid_t, grace: Duration) async {
        try? await runtime.kill(id, signal: SIGTERM)
        let deadline = ContinuousClock.now + grace
        while Self.alive(pid), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if Self.alive(pid) {
            try? await runtime.kill(id, signal: SIGKILL)
            let killDeadline = ContinuousClock.now + .seconds(10)
            while Self.alive(pid), ContinuousClock.now < killDeadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    /// Whether `pid` still runs (a zombie counts as gone; the reaper collects it).
    static func alive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = ProcFile.read("/proc/\(pid)/stat"),
              let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: close)...].hasPrefix(" Z")
    }

    /// Removes a pod's containers (and any other instance runc still has for it), rootfs
    /// mounts, sandbox and directory.
    func removeTraces(uid: String, containerIDs: [String]) async {
        var ids = Set(containerIDs)
        if let listed = try? await runtime.list() {
            for state in listed where Self.parseRuncID(state.id)?.uid == uid { ids.insert(state.id) }
        }
        for id in ids {
            do { try await runtime.delete(id) } catch {
                logger.warning("cannot delete container", metadata: ["id": "\(id)", "error": "\(error)"])
            }
        }
        let rootfsDirectory = podDirectory(uid).appendingPathComponent("rootfs")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: rootfsDirectory.path)) ?? []
        where !name.hasSuffix(".upper") && !name.hasSuffix(".work") {
            do { try Rootfs.remove(at: rootfsDirectory.appendingPathComponent(name)) } catch {
                logger.warning("cannot remove rootfs", metadata: ["path": "\(name)", "error": "\(error)"])
            }
        }
        runtime.removeCgroups("/orca/\(uid)")
        if let network = network.withLock({ $0 }) { await network.tearDown(id: uid) }
        do {
            if FileManager.default.fileExists(atPath: podDirectory(uid).path) {
                try FileManager.default.removeItem(at: podDirectory(uid))
            }
        } catch {
            logger.warning("cannot remove the pod's directory", metadata: ["uid": "\(uid)", "error": "\(error)"])
        }
    }
}
