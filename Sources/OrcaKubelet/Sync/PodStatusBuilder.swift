import OrcaAPI

/// The pod status the kubelet reports, from what it knows of the pod's containers. Pure.
///
/// Phase, as Kubernetes defines it: `Pending` until every container has started once;
/// `Running` while any runs or will be restarted; `Succeeded` when all ended with 0 and none
/// will restart; `Failed` when all ended, at least one with an error, and none will restart.
enum PodStatusBuilder {
    static func status(of record: PodRecord, hostIP: String, now: Timestamp) -> PodStatus {
        let pod = record.pod
        let specContainers = pod.spec?.containers ?? []
        let policy = pod.spec?.restartPolicy ?? .always
        var status = pod.status ?? PodStatus()
        status.hostIP = hostIP
        status.podIP = record.sandbox?.ip
        status.startTime = status.startTime ?? record.startTime
        status.containerStatuses = specContainers.map { container in
            containerStatus(container, record.container(container.name))
        }
        let records = specContainers.map { record.container($0.name) }
        let phase = self.phase(records, policy: policy)
        status.phase = phase
        status.reason = nil
        status.message = nil
        let ready = phase == .running && !records.isEmpty && records.allSatisfy(\.isRunning)
        status.conditions = conditions(status.conditions ?? [], ready: ready, now: now)
        return status
    }

    static func phase(_ containers: [ContainerRecord], policy: RestartPolicy) -> PodPhase {
        guard !containers.isEmpty, containers.allSatisfy(\.hasStarted) else { return .pending }
        if containers.contains(where: \.isRunning) { return .running }
        // None runs: each has ended, or waits to be restarted.
        let ended = containers.map { record -> (done: Bool, failed: Bool) in
            let last = record.termination ?? record.lastTermination
            let failed = (last?.exitCode ?? 0) != 0
            let willRestart = switch policy {
            case .always: true
            case .onFailure: failed
            case .never: false
            }
            return (!willRestart, failed)
        }
        guard ended.allSatisfy(\.done) else { return .running }
        return ended.contains(where: \.failed) ? .failed : .succeeded
    }

    static func containerStatus(_ container: Container, _ record: ContainerRecord) -> ContainerStatus {
        let state: ContainerState = switch record.state {
        case .waiting(let reason, let message):
            ContainerState(waiting: ContainerStateWaiting(reason: reason, message: message))
        case .running(let startedAt):
            ContainerState(running: ContainerStateRunning(startedAt: startedAt))
        case .terminated(let termination):
            ContainerState(terminated: termination.apiState)
        }
        var status = ContainerStatus(name: container.name, state: state, ready: record.isRunning,
                                     restartCount: record.restartCount, image: container.image ?? "")
        status.lastState = record.lastTermination.map { ContainerState(terminated: $0.apiState) }
        status.imageID = record.imageID
        status.containerID = record.runcID.map { "runc://" + $0 }
        return status
    }

    /// `Ready` and `ContainersReady` follow `ready`; other conditions (PodScheduled) are kept,
    /// and a condition's transition time changes only when its status does.
    static func conditions(_ existing: [PodCondition], ready: Bool, now: Timestamp) -> [PodCondition] {
        var conditions = existing
        let value = ready ? "True" : "False"
        for type in ["Initialized", "ContainersReady", "Ready"] {
            let wanted = type == "Initialized" ? "True" : value
            if let index = conditions.firstIndex(where: { $0.type == type }) {
                if conditions[index].status != wanted {
                    conditions[index].status = wanted
                    conditions[index].lastTransitionTime = now
                }
            } else {
                conditions.append(PodCondition(type: type, status: wanted, lastTransitionTime: now))
            }
        }
        return conditions
    }
}
