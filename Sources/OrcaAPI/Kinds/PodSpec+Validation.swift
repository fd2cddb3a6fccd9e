#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OrcaText

extension PodSpec {
    /// DNS policies a pod may ask for.
    public static let supportedDNSPolicies = ["ClusterFirst", "ClusterFirstWithHostNet", "Default"]
    /// Resource names a container may request without a domain prefix.
    public static let standardContainerResources: Set<String> = ["cpu", "memory"]

    /// Every problem of this pod spec, with paths under `path`: `spec` for a pod,
    /// `spec.template.spec` for a replication controller's template.
    ///
    /// Unset fields that ``setDefaults()`` fills (protocol, restartPolicy, dnsPolicy) are accepted.
    public func validate(at path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let volumeNames = validateVolumes(at: path.child("volumes"), into: &errors)
        validateContainers(volumeNames: volumeNames, at: path.child("containers"), into: &errors)
        errors += Validation.validateOneOf(dnsPolicy, Self.supportedDNSPolicies, at: path.child("dnsPolicy"))
        errors += Validation.validateNonNegative(terminationGracePeriodSeconds,
                                                 at: path.child("terminationGracePeriodSeconds"))
        errors += Validation.validateLabels(nodeSelector, at: path.child("nodeSelector"))
        if let nodeName, !nodeName.isEmpty {
            for message in Validation.dns1123SubdomainErrors(nodeName) {
                errors.append(.invalid(path.child("nodeName"), nodeName, message))
            }
        }
        return errors
    }

    /// Checks the volumes and returns their names, for volume mounts to refer to.
    private func validateVolumes(at path: FieldPath, into errors: inout [FieldError]) -> Set<String> {
        var names: Set<String> = []
        for (i, volume) in (volumes ?? []).enumerated() {
            let volumePath = path.index(i)
            let namePath = volumePath.child("name")
            if volume.name.isEmpty {
                errors.append(.required(namePath))
            } else {
                for message in Validation.dns1123LabelErrors(volume.name) {
                    errors.append(.invalid(namePath, volume.name, message))
                }
                if !names.insert(volume.name).inserted { errors.append(.duplicate(namePath, volume.name)) }
            }
            switch (volume.emptyDir, volume.hostPath) {
            case (nil, nil):
                errors.append(.required(volumePath, "Required value: must specify a volume type"))
            case (.some, .some):
                errors.append(.forbidden(volumePath.child("hostPath"), "may not specify more than 1 volume type"))
            case (nil, .some(let hostPath)):
                if hostPath.path.isEmpty { errors.append(.required(volumePath.child("hostPath").child("path"))) }
            case (.some, nil):
                break
            }
        }
        return names
    }

    private func validateContainers(volumeNames: Set<String>, at path: FieldPath, into errors: inout [FieldError]) {
        guard !containers.isEmpty else {
            errors.append(.required(path))
            return
        }
        var containerNames: Set<String> = []
        // Port names and host ports are shared by the whole pod (one network namespace, one host).
        var portNames: Set<String> = []
        var hostPorts: Set<String> = []
        for (i, container) in containers.enumerated() {
            let containerPath = path.index(i)
            let namePath = containerPath.child("name")
            if container.name.isEmpty {
                errors.append(.required(namePath))
            } else {
                for message in Validation.dns1123LabelErrors(container.name) {
                    errors.append(.invalid(namePath, container.name, message))
                }
                if !containerNames.insert(container.name).inserted {
                    errors.append(.duplicate(namePath, container.name))
                }
            }
            let image = container.image ?? ""
            if image.isEmpty {
                errors.append(.required(containerPath.child("image")))
            } else if image.trimmingWhitespaceAndNewlines() != image {
                errors.append(.invalid(containerPath.child("image"), image,
                                       "must not have leading or trailing whitespace"))
            }
            for (j, port) in (container.ports ?? []).enumerated() {
                validatePort(port, at: containerPath.child("ports").index(j), names: &portNames,
                             hostPorts: &hostPorts, into: &errors)
            }
            for (j, env) in (container.env ?? []).enumerated() {
                let envPath = containerPath.child("env").index(j).child("name")
                if env.name.isEmpty {
                    errors.append(.required(envPath))
                } else {
                    for message in Validation.envVarNameErrors(env.name) {
                        errors.append(.invalid(envPath, env.name, message))
                    }
                }
            }
            validateVolumeMounts(container.volumeMounts ?? [], volumeNames: volumeNames,
                                 at: containerPath.child("volumeMounts"), into: &errors)
            if let resources = container.resources {
                errors += resources.validate(at: containerPath.child("resources"))
            }
        }
    }

    private func validatePort(
        _ port: ContainerPort, at path: FieldPath, names: inout Set<String>, hostPorts: inout Set<String>,
        into errors: inout [FieldError]
    ) {
        if let name = port.name, !name.isEmpty {
            errors += Validation.validatePortName(name, at: path.child("name"))
            if !names.insert(name).inserted { errors.append(.duplicate(path.child("name"), name)) }
        }
        if port.containerPort == 0 {
            errors.append(.required(path.child("containerPort")))
        } else {
            errors += Validation.validatePortNumber(port.containerPort, at: path.child("containerPort"))
        }
        // hostPort 0 means the port is not exposed on the host.
        let hostPort = port.hostPort ?? 0
        if hostPort != 0 {
            errors += Validation.validatePortNumber(hostPort, at: path.child("hostPort"))
            let key = "\((port.protocol ?? .tcp).rawValue)/\(hostPort)"
            if !hostPorts.insert(key).inserted { errors.append(.duplicate(path.child("hostPort"), key)) }
        }
        errors += Validation.validateProtocol(port.protocol, at: path.child("protocol"))
        if let hostIP = port.hostIP, !hostIP.isEmpty {
            errors += Validation.validateIPv4(hostIP, at: path.child("hostIP"))
        }
    }

    private func validateVolumeMounts(
        _ mounts: [VolumeMount], volumeNames: Set<String>, at path: FieldPath, into errors: inout [FieldError]
    ) {
        var mountPaths: Set<String> = []
        for (i, mount) in mounts.enumerated() {
            let mountPath = path.index(i)
            if mount.name.isEmpty {
                errors.append(.required(mountPath.child("name")))
            } else if !volumeNames.contains(mount.name) {
                errors.append(.notFound(mountPath.child("name"), mount.name))
            }
            if mount.mountPath.isEmpty {
                errors.append(.required(mountPath.child("mountPath")))
            } else if !mountPaths.insert(mount.mountPath).inserted {
                errors.append(.invalid(mountPath.child("mountPath"), mount.mountPath, "must be unique"))
            }
        }
    }
}

extension ResourceRequirements {
    /// Names and amounts of `limits` and `requests` (`resources.limits[cpu]`), and no request above its limit.
    public func validate(at path: FieldPath) -> [FieldError] {
        let standard = PodSpec.standardContainerResources
        var errors = Validation.validateResourceList(limits, standard: standard, owner: "containers",
                                                     at: path.child("limits"))
        errors += Validation.validateResourceList(requests, standard: standard, owner: "containers",
                                                  at: path.child("requests"))
        for name in (requests ?? [:]).keys.sorted() {
            guard let request = requests?[name], let limit = limits?[name], request.milliValue >= 0,
                  limit.milliValue >= 0, request.milliValue > limit.milliValue else { continue }
            errors.append(.invalid(path.child("requests").key(name), request.text,
                                   "must be less than or equal to \(name) limit"))
        }
        return errors
    }
}
