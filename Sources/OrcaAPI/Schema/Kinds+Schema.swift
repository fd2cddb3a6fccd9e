// What the kinds' Codable conformances cannot say: definition packages, the merge keys and list
// types Kubernetes declares for these fields (strategic merge patch, server-side apply), and the
// fields its schema requires. Every kind in one file so the table reads as Kubernetes' tags do.

extension ObjectMeta: SchemaDescribed {
    public static var schemaPackage: String { SchemaPackage.meta }
    public static var schemaDescription: String? {
        "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create."
    }
    public static var fieldSemantics: [String: ListSemantics] {
        ["ownerReferences": .merge(key: "uid"), "finalizers": .set]
    }
}

extension ListMeta: SchemaDescribed {
    public static var schemaPackage: String { SchemaPackage.meta }
}

extension OwnerReference: SchemaDescribed {
    public static var schemaPackage: String { SchemaPackage.meta }
    public static var requiredFields: Set<String> { ["apiVersion", "kind", "name", "uid"] }
}

extension ObjectList: SchemaDescribed {
    public static var schemaPackage: String { (Item.self as? any SchemaDescribed.Type)?.schemaPackage ?? SchemaPackage.core }
    public static var schemaTypeName: String? { Item.kind + "List" }
    public static var requiredFields: Set<String> { ["items"] }
}

extension Pod: SchemaDescribed {
    public static var schemaDescription: String? {
        "Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts."
    }
}

extension PodSpec: SchemaDescribed {
    public static var requiredFields: Set<String> { ["containers"] }
    public static var fieldSemantics: [String: ListSemantics] {
        ["containers": .merge(key: "name"), "volumes": .merge(key: "name", mapKeys: ["name"])]
    }
    public static var fieldDescriptions: [String: String] {
        [
            "containers": "List of containers belonging to the pod. There must be at least one container in a Pod.",
            "nodeName": "NodeName is the name of the node the pod is bound to; the scheduler sets it.",
            "restartPolicy": "Restart policy for all containers within the pod: Always, OnFailure or Never. Default Always.",
        ]
    }
}

extension Container: SchemaDescribed {
    public static var requiredFields: Set<String> { ["name"] }
    public static var fieldSemantics: [String: ListSemantics] {
        [
            "ports": .merge(key: "containerPort", mapKeys: ["containerPort", "protocol"]),
            "env": .merge(key: "name"),
            "volumeMounts": .merge(key: "mountPath"),
        ]
    }
    public static var fieldDescriptions: [String: String] {
        [
            "name": "Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name.",
            "image": "Container image name.",
            "command": "Entrypoint array. Not executed within a shell. The image's ENTRYPOINT is used if this is not provided.",
            "args": "Arguments to the entrypoint. The image's CMD is used if this is not provided.",
            "ports": "List of ports to expose from the container.",
        ]
    }
}

extension ContainerPort: SchemaDescribed {
    public static var requiredFields: Set<String> { ["containerPort"] }
}

extension EnvVar: SchemaDescribed {
    public static var requiredFields: Set<String> { ["name"] }
}

extension VolumeMount: SchemaDescribed {
    public static var requiredFields: Set<String> { ["name", "mountPath"] }
}

extension Volume: SchemaDescribed {
    public static var requiredFields: Set<String> { ["name"] }
}

extension PodStatus: SchemaDescribed {
    public static var fieldSemantics: [String: ListSemantics] {
        ["conditions": .merge(key: "type"), "containerStatuses": .atomic]
    }
}

extension PodCondition: SchemaDescribed {
    public static var requiredFields: Set<String> { ["type", "status"] }
}

extension ContainerStatus: SchemaDescribed {
    public static var requiredFields: Set<String> { ["name", "ready", "restartCount", "image", "imageID"] }
}

extension ServiceSpec: SchemaDescribed {
    public static var fieldSemantics: [String: ListSemantics] {
        ["ports": .merge(key: "port", mapKeys: ["port", "protocol"])]
    }
}

extension ServicePort: SchemaDescribed {
    public static var requiredFields: Set<String> { ["port"] }
}

extension NodeStatus: SchemaDescribed {
    public static var fieldSemantics: [String: ListSemantics] {
        ["conditions": .merge(key: "type"), "addresses": .merge(key: "type")]
    }
}

extension NodeCondition: SchemaDescribed {
    public static var requiredFields: Set<String> { ["type", "status"] }
}

extension NodeAddress: SchemaDescribed {
    public static var requiredFields: Set<String> { ["type", "address"] }
}

extension NodeSystemInfo: SchemaDescribed {
    public static var requiredFields: Set<String> {
        ["machineID", "systemUUID", "bootID", "kernelVersion", "osImage", "containerRuntimeVersion", "kubeletVersion",
         "kubeProxyVersion", "operatingSystem", "architecture"]
    }
}

extension DaemonEndpoint: SchemaDescribed {
    public static var requiredFields: Set<String> { ["Port"] }
}

extension Endpoints: SchemaDescribed {
    public static var fieldSemantics: [String: ListSemantics] { ["subsets": .atomic] }
}

extension Event: SchemaDescribed {
    public static var requiredFields: Set<String> { ["metadata", "involvedObject"] }
}

extension Scale: SchemaDescribed {
    public static var schemaPackage: String { SchemaPackage.autoscaling }
}

extension ScaleSpec: SchemaDescribed {
    public static var schemaPackage: String { SchemaPackage.autoscaling }
}

extension ScaleStatus: SchemaDescribed {
    public static var schemaPackage: String { SchemaPackage.autoscaling }
    public static var requiredFields: Set<String> { ["replicas"] }
}

extension Status: SchemaDescribed {
    public static var schemaPackage: String { SchemaPackage.meta }
}

extension StatusDetails: SchemaDescribed {
    public static var schemaPackage: String { SchemaPackage.meta }
}

extension StatusCause: SchemaDescribed {
    public static var schemaPackage: String { SchemaPackage.meta }
}
