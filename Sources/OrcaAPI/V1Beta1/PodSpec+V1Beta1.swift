// Conversion of what a pod runs: v1beta1 `desiredState` (ContainerManifest and host) <-> v1 PodSpec.
// Shared by pods and by replication controllers' pod templates.

extension PodSpec {
    /// The v1 spec of a v1beta1 pod state: `manifest` plus `host`, and the pod's `nodeSelector`.
    ///
    /// `path` is where `state` sits in the v1beta1 body, for error messages.
    init(v1beta1 state: V1Beta1.PodState?, nodeSelector: [String: String]?, path: FieldPath) throws(APIError) {
        let manifest = state?.manifest
        let manifestPath = path.child("manifest")
        var containers: [Container] = []
        for (i, container) in (manifest?.containers ?? []).enumerated() {
            containers.append(try Container(v1beta1: container, path: manifestPath.child("containers").index(i)))
        }
        var volumes: [Volume]?
        if let list = manifest?.volumes {
            volumes = []
            for (i, volume) in list.enumerated() {
                volumes?.append(try Volume(v1beta1: volume, path: manifestPath.child("volumes").index(i)))
            }
        }
        var restartPolicy: RestartPolicy?
        if let policy = manifest?.restartPolicy {
            restartPolicy = try RestartPolicy(v1beta1: policy, path: manifestPath.child("restartPolicy"))
        }
        let host = state?.host.flatMap { $0.isEmpty ? nil : $0 }
        self.init(containers: containers, volumes: volumes, restartPolicy: restartPolicy,
                  nodeSelector: nodeSelector, nodeName: host)
        dnsPolicy = manifest?.dnsPolicy
        hostNetwork = manifest?.hostNetwork
        terminationGracePeriodSeconds = manifest?.terminationGracePeriodSeconds
    }

    /// The v1beta1 manifest of this spec; `id` and `uuid` name the pod (nil for a template).
    func v1beta1Manifest(id: String?, uuid: String?) -> V1Beta1.ContainerManifest {
        var manifest = V1Beta1.ContainerManifest(
            id: id, containers: containers.map(\.v1beta1), volumes: volumes?.map(\.v1beta1),
            restartPolicy: restartPolicy?.v1beta1)
        manifest.uuid = uuid
        manifest.dnsPolicy = dnsPolicy
        manifest.hostNetwork = hostNetwork
        manifest.terminationGracePeriodSeconds = terminationGracePeriodSeconds
        return manifest
    }

    /// The v1beta1 desired state of this spec: the manifest and the bound minion.
    func v1beta1State(id: String?, uuid: String?) -> V1Beta1.PodState {
        V1Beta1.PodState(manifest: v1beta1Manifest(id: id, uuid: uuid), host: nodeName)
    }
}

extension RestartPolicy {
    init?(v1beta1 policy: V1Beta1.RestartPolicy, path: FieldPath) throws(APIError) {
        var set: [RestartPolicy] = []
        if policy.always != nil { set.append(.always) }
        if policy.onFailure != nil { set.append(.onFailure) }
        if policy.never != nil { set.append(.never) }
        if set.count > 1 {
            throw .unconvertible(path, "only one of always, onFailure and never may be set")
        }
        guard let first = set.first else { return nil }
        self = first
    }

    var v1beta1: V1Beta1.RestartPolicy {
        switch self {
        case .always: V1Beta1.RestartPolicy(always: V1Beta1.Empty())
        case .onFailure: V1Beta1.RestartPolicy(onFailure: V1Beta1.Empty())
        case .never: V1Beta1.RestartPolicy(never: V1Beta1.Empty())
        }
    }
}

extension Container {
    /// `memory` and `cpu` become limits and, so the scheduler sees them, equal requests.
    init(v1beta1 c: V1Beta1.Container, path: FieldPath) throws(APIError) {
        var amounts: [String: Quantity] = [:]
        if let memory = c.memory, memory != 0 { amounts["memory"] = Quantity(integer: memory) }
        if let cpu = c.cpu, cpu != 0 { amounts["cpu"] = Quantity(milli: cpu) }
        self.init(
            name: c.name ?? "", image: c.image, command: c.command,
            ports: c.ports?.map(ContainerPort.init(v1beta1:)),
            env: c.env?.map { EnvVar(name: $0.name ?? "", value: $0.value) },
            volumeMounts: c.volumeMounts?.map {
                VolumeMount(name: $0.name ?? "", mountPath: $0.mountPath ?? "", readOnly: $0.readOnly)
            },
            resources: amounts.isEmpty ? nil : ResourceRequirements(limits: amounts, requests: amounts))
        workingDir = c.workingDir
        terminationMessagePath = c.terminationMessagePath
        securityContext = c.privileged.map { SecurityContext(privileged: $0) }
        if let policy = c.imagePullPolicy, !policy.isEmpty {
            guard let pull = PullPolicy(v1beta1: policy) else {
                throw .unconvertible(
                    path.child("imagePullPolicy"),
                    "Unsupported value: \"\(policy)\": supported values: \"PullAlways\", \"PullIfNotPresent\", "
                        + "\"PullNever\"")
            }
            imagePullPolicy = pull
        }
    }

    /// `command` is the whole argv (v1 `command` then `args`); limits (or else requests) give
    /// `memory` and `cpu`.
    var v1beta1: V1Beta1.Container {
        let argv: [String]? = command == nil && args == nil ? nil : (command ?? []) + (args ?? [])
        var out = V1Beta1.Container(
            name: name, image: image, command: argv, ports: ports?.map(\.v1beta1),
            env: env?.map { V1Beta1.EnvVar(name: $0.name, value: $0.value) },
            volumeMounts: volumeMounts?.map {
                V1Beta1.VolumeMount(name: $0.name, mountPath: $0.mountPath, readOnly: $0.readOnly)
            })
        out.workingDir = workingDir
        out.memory = (resources?.limits?["memory"] ?? resources?.requests?["memory"])?.value
        out.cpu = (resources?.limits?["cpu"] ?? resources?.requests?["cpu"])?.milliValue
        out.terminationMessagePath = terminationMessagePath
        out.privileged = securityContext?.privileged
        out.imagePullPolicy = imagePullPolicy?.v1beta1
        return out
    }
}

extension PullPolicy {
    /// `PullAlways` -> `Always`; the v1 names are accepted too.
    init?(v1beta1 text: String) {
        switch text {
        case "PullAlways", "Always": self = .always
        case "PullNever", "Never": self = .never
        case "PullIfNotPresent", "IfNotPresent": self = .ifNotPresent
        default: return nil
        }
    }

    var v1beta1: String {
        switch self {
        case .always: "PullAlways"
        case .never: "PullNever"
        case .ifNotPresent: "PullIfNotPresent"
        }
    }
}

extension ContainerPort {
    init(v1beta1 p: V1Beta1.Port) {
        self.init(name: p.name, containerPort: p.containerPort ?? 0, hostPort: p.hostPort, protocol: p.protocol)
        hostIP = p.hostIP
    }

    var v1beta1: V1Beta1.Port {
        V1Beta1.Port(name: name, hostPort: hostPort, containerPort: containerPort, protocol: `protocol`,
                     hostIP: hostIP)
    }
}

extension Volume {
    /// `emptyDir` and `hostDir` (as v1 `hostPath`) convert; a volume without `source` is an
    /// `emptyDir`; any other source is a 400.
    init(v1beta1 v: V1Beta1.Volume, path: FieldPath) throws(APIError) {
        let name = v.name ?? ""
        guard let source = v.source else {
            self.init(name: name, emptyDir: EmptyDirVolumeSource())
            return
        }
        if let unsupported = source.setSources.first(where: { $0 != "emptyDir" && $0 != "hostDir" }) {
            throw .unconvertible(
                path.child("source").child(unsupported),
                "volume source \(unsupported) is not supported; use emptyDir or hostDir")
        }
        self.init(name: name, emptyDir: source.emptyDir.map { EmptyDirVolumeSource(medium: $0.medium) },
                  hostPath: source.hostDir.map { HostPathVolumeSource(path: $0.path ?? "") })
    }

    var v1beta1: V1Beta1.Volume {
        V1Beta1.Volume(name: name, source: V1Beta1.VolumeSource(
            emptyDir: emptyDir.map { V1Beta1.EmptyDir(medium: $0.medium) },
            hostDir: hostPath.map { V1Beta1.HostDir(path: $0.path) }))
    }
}

extension APIError {
    /// 400 for a v1beta1 field that has no v1 equivalent; `field` is the v1beta1 path.
    static func unconvertible(_ field: FieldPath, _ message: String) -> APIError {
        APIError(.badRequest, "\(field): \(message)", details: StatusDetails(causes: [
            StatusCause(reason: FieldError.Kind.notSupported.rawValue, message: message, field: field.description),
        ]))
    }
}
