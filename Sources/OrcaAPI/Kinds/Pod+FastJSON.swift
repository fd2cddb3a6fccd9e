// Hand-written JSON of pods (see FastJSON): the values and defaults of the Codable conformances in
// Pod.swift, members written in sorted order. FastJSONTests checks both against Codable.

extension Pod: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        var apiVersion, kind: String?
        var metadata: ObjectMeta?
        var spec: PodSpec?
        var status: PodStatus?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "apiVersion": try reader.read(&apiVersion)
            case "kind": try reader.read(&kind)
            case "metadata": try reader.read(&metadata)
            case "spec": try reader.read(&spec)
            case "status": try reader.read(&status)
            default: try reader.skipValue()
            }
        }
        guard let metadata else { throw FastJSON.Declined() }
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("apiVersion", apiVersion)
        writer.field("kind", kind)
        writer.field("metadata", metadata)
        writer.field("spec", spec)
        writer.field("status", status)
        writer.endObject()
    }
}

extension PodSpec: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        var volumes: [Volume]?
        var containers: [Container]?
        var restartPolicy: RestartPolicy?
        var terminationGracePeriodSeconds: Int64?
        var dnsPolicy, nodeName: String?
        var nodeSelector: [String: String]?
        var hostNetwork: Bool?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "volumes": try reader.read(&volumes)
            case "containers": try reader.read(&containers)
            case "restartPolicy": try reader.read(&restartPolicy)
            case "terminationGracePeriodSeconds": try reader.read(&terminationGracePeriodSeconds)
            case "dnsPolicy": try reader.read(&dnsPolicy)
            case "nodeSelector": try reader.read(&nodeSelector)
            case "nodeName": try reader.read(&nodeName)
            case "hostNetwork": try reader.read(&hostNetwork)
            default: try reader.skipValue()
            }
        }
        self.init(containers: containers ?? [], volumes: volumes, restartPolicy: restartPolicy,
                  nodeSelector: nodeSelector, nodeName: nodeName)
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
        self.dnsPolicy = dnsPolicy
        self.hostNetwork = hostNetwork
    }

    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("containers", containers)
        writer.field("dnsPolicy", dnsPolicy)
        writer.field("hostNetwork", hostNetwork)
        writer.field("nodeName", nodeName)
        writer.field("nodeSelector", nodeSelector)
        writer.field("restartPolicy", restartPolicy)
        writer.field("terminationGracePeriodSeconds", terminationGracePeriodSeconds)
        writer.field("volumes", volumes)
        writer.endObject()
    }
}

extension RestartPolicy: FastJSONStringEnum {}
extension PullPolicy: FastJSONStringEnum {}
extension PodPhase: FastJSONStringEnum {}

extension PortProtocol: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        self.init(rawValue: try reader.readString())
    }

    public func writeJSON(_ writer: inout JSONWriter) { writer.string(rawValue) }
}

extension Container: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        var name, image, workingDir, terminationMessagePath: String?
        var command, args: [String]?
        var ports: [ContainerPort]?
        var env: [EnvVar]?
        var resources: ResourceRequirements?
        var volumeMounts: [VolumeMount]?
        var imagePullPolicy: PullPolicy?
        var securityContext: SecurityContext?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "name": try reader.read(&name)
            case "image": try reader.read(&image)
            case "command": try reader.read(&command)
            case "args": try reader.read(&args)
            case "workingDir": try reader.read(&workingDir)
            case "ports": try reader.read(&ports)
            case "env": try reader.read(&env)
            case "resources": try reader.read(&resources)
            case "volumeMounts": try reader.read(&volumeMounts)
            case "imagePullPolicy": try reader.read(&imagePullPolicy)
            case "terminationMessagePath": try reader.read(&terminationMessagePath)
            case "securityContext": try reader.read(&securityContext)
            default: try reader.skipValue()
            }
        }
        self.init(name: name ?? "", image: image, command: command, args: args, ports: ports, env: env,
                  volumeMounts: volumeMounts, resources: resources)
        self.workingDir = workingDir
        self.imagePullPolicy = imagePullPolicy
        self.terminationMessagePath = terminationMessagePath
        self.securityContext = securityContext
    }

    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("args", args)
        writer.field("command", command)
        writer.field("env", env)
        writer.field("image", image)
        writer.field("imagePullPolicy", imagePullPolicy)
        writer.field("name", name)
        writer.field("ports", ports)
        writer.field("resources", resources)
        writer.field("securityContext", securityContext)
        writer.field("terminationMessagePath", terminationMessagePath)
        writer.field("volumeMounts", volumeMounts)
        writer.field("workingDir", workingDir)
        writer.endObject()
    }
}

extension SecurityContext: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        var privileged: Bool?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "privileged": try reader.read(&privileged)
            default: try reader.skipValue()
            }
        }
        self.init(privileged: privileged)
    }

    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("privileged", privileged)
        writer.endObject()
    }
}

extension ContainerPort: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        var name, hostIP: String?
        var containerPort, hostPort: Int?
        var proto: PortProtocol?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "name": try reader.read(&name)
            case "containerPort": try reader.read(&containerPort)
            case "hostPort": try reader.read(&hostPort)
            case "hostIP": try reader.read(&hostIP)
            case "protocol": try reader.read(&proto)
            default: try reader.skipValue()
            }
        }
        self.init(name: name, containerPort: containerPort ?? 0, hostPort: hostPort, protocol: proto)
        self.hostIP = hostIP
    }

    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("containerPort", containerPort)
        writer.field("hostIP", hostIP)
        writer.field("hostPort", hostPort)
        writer.field("name", name)
        writer.field("protocol", `protocol`)
        writer.endObject()
    }
}

extension EnvVar: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        var name, value: String?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "name": try reader.read(&name)
            case "value": try reader.read(&value)
            default: try reader.skipValue()
            }
        }
        guard let name else { throw FastJSON.Declined() }
        self.init(name: name, value: value)
    }

    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("name", name)
        writer.field("value", value)
        writer.endObject()
    }
}

extension VolumeMount: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        var name, mountPath: String?
        var readOnly: Bool?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "name": try reader.read(&name)
            case "mountPath": try reader.read(&mountPath)
            case "readOnly": try reader.read(&readOnly)
            default: try reader.skipValue()
            }
        }
        guard let name, let mountPath else { throw FastJSON.Declined() }
        self.init(name: name, mountPath: mountPath, readOnly: readOnly)
    }

    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("mountPath", mountPath)
        writer.field("name", name)
        writer.field("readOnly", readOnly)
        writer.endObject()
    }
}

extension Volume: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        var name: String?
        var emptyDir: EmptyDirVolumeSource?
        var hostPath: HostPathVolumeSource?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "name": try reader.read(&name)
            case "emptyDir": try reader.read(&emptyDir)
            case "hostPath": try reader.read(&hostPath)
            default: try reader.skipValue()
            }
        }
        guard let name else { throw FastJSON.Declined() }
        self.init(name: name, emptyDir: emptyDir, hostPath: hostPath)
    }

    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("emptyDir", emptyDir)
        writer.field("hostPath", hostPath)
        writer.field("name", name)
        writer.endObject()
    }
}

extension EmptyDirVolumeSource: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        var medium: String?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "medium": try reader.read(&medium)
            default: try reader.skipValue()
            }
        }
        self.init(medium: medium)
    }

    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("medium", medium)
        writer.endObject()
    }
}

extension HostPathVolumeSource: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        var path: String?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "path": try reader.read(&path)
            default: try reader.skipValue()
            }
        }
        guard let path else { throw FastJSON.Declined() }
        self.init(path: path)
    }

    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("path", path)
        writer.endObject()
    }
}

extension ResourceRequirements: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        var limits, requests: [String: Quantity]?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "limits": try reader.read(&limits)
            case "requests": try reader.read(&requests)
            default: try reader.skipValue()
            }
        }
        self.init(limits: limits, requests: requests)
    }

    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("limits", limits)
        writer.field("requests", requests)
        writer.endObject()
    }
}

extension PodStatus: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        var phase: PodPhase?
        var conditions: [PodCondition]?
        var message, reason, hostIP, podIP: String?
        var startTime: Timestamp?
        var containerStatuses: [ContainerStatus]?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "phase": try reader.read(&phase)
            case "conditions": try reader.read(&conditions)
            case "message": try reader.read(&message)
            case "reason": try reader.read(&reason)
            case "hostIP": try reader.read(&hostIP)
            case "podIP": try reader.read(&podIP)
            case "startTime": try reader.read(&startTime)
            case "containerStatuses": try reader.read(&containerStatuses)
            default: try reader.skipValue()
            }
        }
        self.init(phase: phase)
        self.conditions = conditions
        self.message = message
        self.reason = reason
        self.hostIP = hostIP
        self.podIP = podIP
        self.startTime = startTime
        self.containerStatuses = containerStatuses
    }

    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("conditions", conditions)
        writer.field("containerStatuses", containerStatuses)
        writer.field("hostIP", hostIP)
        writer.field("message", message)
        writer.field("phase", phase)
        writer.field("podIP", podIP)
        writer.field("reason", reason)
        writer.field("startTime", startTime)
        writer.endObject()
    }
}

extension PodCondition: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        var type, status, reason, message: String?
        var lastProbeTime, lastTransitionTime: Timestamp?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "type": try reader.read(&type)
            case "status": try reader.read(&status)
            case "reason": try reader.read(&reason)
            case "message": try reader.read(&message)
            case "lastProbeTime": try reader.read(&lastProbeTime)
            case "lastTransitionTime": try reader.read(&lastTransitionTime)
            default: try reader.skipValue()
            }
        }
        guard let type, let status else { throw FastJSON.Declined() }
        self.init(type: type, status: status, reason: reason, message: message, lastTransitionTime: lastTransitionTime)
        self.lastProbeTime = lastProbeTime
    }

    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("lastProbeTime", lastProbeTime)
        writer.field("lastTransitionTime", lastTransitionTime)
        writer.field("message", message)
        writer.field("reason", reason)
        writer.field("status", status)
        writer.field("type", type)
        writer.endObject()
    }
}

extension ContainerStatus: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        var name, image, imageID, containerID: String?
        var state, lastState: ContainerState?
        var ready: Bool?
        var restartCount: Int?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "name": try reader.read(&name)
            case "state": try reader.read(&state)
            case "lastState": try reader.read(&lastState)
            case "ready": try reader.read(&ready)
            case "restartCount": try reader.read(&restartCount)
            case "image": try reader.read(&image)
            case "imageID": try reader.read(&imageID)
            case "containerID": try reader.read(&containerID)
            default: try reader.skipValue()
            }
        }
        guard let name, let ready, let restartCount, let image else { throw FastJSON.Declined() }
        self.init(name: name, state: state, ready: ready, restartCount: restartCount, image: image)
        self.lastState = lastState
        self.imageID = imageID
        self.containerID = containerID
    }

    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("containerID", containerID)
        writer.field("image", image)
        writer.field("imageID", imageID)
        writer.field("lastState", lastState)
        writer.field("name", name)
        writer.field("ready", ready)
        writer.field("restartCount", restartCount)
        writer.field("state", state)
        writer.endObject()
    }
}

extension ContainerState: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        var waiting: ContainerStateWaiting?
        var running: ContainerStateRunning?
        var terminated: ContainerStateTerminated?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "waiting": try reader.read(&waiting)
            case "running": try reader.read(&running)
            case "terminated": try reader.read(&terminated)
            default: try reader.skipValue()
            }
        }
        self.init(waiting: waiting, running: running, terminated: terminated)
    }

    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("running", running)
        writer.field("terminated", terminated)
        writer.field("waiting", waiting)
        writer.endObject()
    }
}

extension ContainerStateWaiting: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        var reason, message: String?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "reason": try reader.read(&reason)
            case "message": try reader.read(&message)
            default: try reader.skipValue()
            }
        }
        self.init(reason: reason, message: message)
    }

    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("message", message)
        writer.field("reason", reason)
        writer.endObject()
    }
}

extension ContainerStateRunning: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        var startedAt: Timestamp?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "startedAt": try reader.read(&startedAt)
            default: try reader.skipValue()
            }
        }
        self.init(startedAt: startedAt)
    }

    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("startedAt", startedAt)
        writer.endObject()
    }
}

extension ContainerStateTerminated: FastJSONCodable {
    public init(json reader: inout JSONReader) throws(FastJSON.Declined) {
        var exitCode, signal: Int32?
        var reason, message, containerID: String?
        var startedAt, finishedAt: Timestamp?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "exitCode": try reader.read(&exitCode)
            case "signal": try reader.read(&signal)
            case "reason": try reader.read(&reason)
            case "message": try reader.read(&message)
            case "startedAt": try reader.read(&startedAt)
            case "finishedAt": try reader.read(&finishedAt)
            case "containerID": try reader.read(&containerID)
            default: try reader.skipValue()
            }
        }
        guard let exitCode else { throw FastJSON.Declined() }
        self.init(exitCode: exitCode, signal: signal, reason: reason, message: message, startedAt: startedAt,
                  finishedAt: finishedAt)
        self.containerID = containerID
    }

    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("containerID", containerID)
        writer.field("exitCode", exitCode)
        writer.field("finishedAt", finishedAt)
        writer.field("message", message)
        writer.field("reason", reason)
        writer.field("signal", signal)
        writer.field("startedAt", startedAt)
        writer.endObject()
    }
}
