extension Pod: V1Beta1Convertible {
    public static let v1beta1Resource = "pods"
    public static let v1beta1Kind = "Pod"

    /// `desiredState.manifest` becomes the spec, `desiredState.host` the bound minion; the
    /// manifest's `id` names the pod when `id` and `generateName` are empty. `currentState` is
    /// ignored: status is the server's.
    public init(v1beta1 pod: V1Beta1.Pod) throws(APIError) {
        var meta = pod.typeMeta.objectMeta(labels: pod.labels, namespaced: true)
        if (meta.name ?? "").isEmpty, (meta.generateName ?? "").isEmpty,
           let id = pod.desiredState?.manifest?.id, !id.isEmpty {
            meta.name = id
        }
        let spec = try PodSpec(v1beta1: pod.desiredState, nodeSelector: pod.nodeSelector, path: "desiredState")
        self.init(metadata: meta, spec: spec)
    }

    /// The spec as `desiredState`; the status as `currentState` (`status` is the phase text).
    public var v1beta1: V1Beta1.Pod {
        V1Beta1.Pod(
            typeMeta: V1Beta1.TypeMeta(kind: Pod.v1beta1Kind, metadata: metadata),
            labels: metadata.labels,
            desiredState: (spec ?? PodSpec()).v1beta1State(id: metadata.name, uuid: metadata.uid),
            currentState: v1beta1CurrentState,
            nodeSelector: spec?.nodeSelector)
    }

    var v1beta1CurrentState: V1Beta1.PodState {
        var state = V1Beta1.PodState(status: status?.phase?.rawValue, host: spec?.nodeName)
        state.hostIP = status?.hostIP
        state.podIP = status?.podIP
        state.message = status?.message
        if let statuses = status?.containerStatuses, !statuses.isEmpty {
            var info: [String: V1Beta1.ContainerStatus] = [:]
            for container in statuses {
                info[container.name] = container.v1beta1(podIP: status?.podIP)
            }
            state.info = info
        }
        return state
    }
}

extension ContainerStatus {
    func v1beta1(podIP: String?) -> V1Beta1.ContainerStatus {
        var out = V1Beta1.ContainerStatus(state: state?.v1beta1, restartCount: restartCount, podIP: podIP,
                                          image: image)
        out.lastState = lastState?.v1beta1
        out.ready = ready
        out.imageID = imageID
        out.containerID = containerID
        return out
    }
}

extension ContainerState {
    var v1beta1: V1Beta1.ContainerState {
        V1Beta1.ContainerState(
            waiting: waiting.map { V1Beta1.ContainerStateWaiting(reason: $0.reason) },
            running: running.map { V1Beta1.ContainerStateRunning(startedAt: $0.startedAt) },
            termination: terminated.map {
                V1Beta1.ContainerStateTerminated(
                    exitCode: $0.exitCode, signal: $0.signal, reason: $0.reason, message: $0.message,
                    startedAt: $0.startedAt, finishedAt: $0.finishedAt)
            })
    }
}
