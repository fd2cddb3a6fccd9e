#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OrcaAPI
import OrcaRuntime

extension PodManager {
    /// After a kubelet (re)start, once the pods bound here are known: containers that still
    /// run for a pod that still exists are taken over as they are (not restarted); everything
    /// that belongs to no current pod (containers, sandboxes, pod directories) is removed.
    func adopt(pods: [Pod]) async {
        let byUID = Dictionary(pods.compactMap { pod in pod.metadata.uid.map { ($0, pod) } }) { first, _ in first }
        let listed = (try? await runtime.list()) ?? []
        var garbage: Set<String> = []
        for state in listed {
            guard let (uid, name, attempt) = Self.parseRuncID(state.id) else { continue }
            guard let pod = byUID[uid], pod.spec?.containers.contains(where: { $0.name == name }) == true,
                  state.status == "running" else {
                if byUID[uid] == nil { garbage.insert(uid) } else { try? await runtime.delete(state.id) }
                continue
            }
            let key = (pod.metadata.namespace ?? "default") + "/" + (pod.metadata.name ?? "")
            let previous = pod.status?.containerStatuses?.first { $0.name == name }
            let startedAt = previous?.state?.running?.startedAt ?? .now()
            let cgroupPath = "/orca/\(uid)/\(name)"
            records.withLock { records in
                var record = records[key] ?? PodRecord(pod: pod)
                record.startTime = pod.status?.startTime ?? .now()
                record.sandbox = network.withLock { $0?.sandbox(uid) }
                var container = record.container(name)
                container.state = .running(startedAt: startedAt)
                container.attempt = attempt + 1
                container.runcID = state.id
                container.pid = state.pid
                container.cgroupPath = cgroupPath
                container.imageID = previous?.imageID
                if let last = previous?.lastState?.terminated {
                    container.lastTermination = .init(
                        exitCode: last.exitCode, signal: last.signal, reason: last.reason ?? "Error",
                        startedAt: last.startedAt, finishedAt: last.finishedAt ?? .now(),
                        containerID: last.containerID ?? "")
                }
                record.containers[name] = container
                records[key] = record
            }
            logger.info("re-adopted running container", metadata: ["pod": "\(key)", "container": "\(name)"])
            watchExit(key, container: name, id: state.id, pid: state.pid, cgroupPath: cgroupPath, startedAt: startedAt)
        }
        // Sandboxes and directories of pods that are gone.
        if let network = network.withLock({ $0 }) {
            for uid in network.sandboxIDs() where byUID[uid] == nil { garbage.insert(uid) }
        }
        for uid in (try? FileManager.default.contentsOfDirectory(atPath: podsDirectory.path)) ?? []
        where byUID[uid] == nil {
            garbage.insert(uid)
        }
        for uid in garbage {
            logger.info("removing what is left of a pod that is gone", metadata: ["uid": "\(uid)"])
            await removeTraces(uid: uid, containerIDs: [])
        }
    }
}
