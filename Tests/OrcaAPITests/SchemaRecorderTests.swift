import OrcaAPI
import Testing

@Suite struct SchemaRecorderTests {
    static let kinds: [any (APIObject & Decodable).Type] = [
        Pod.self, ReplicationController.self, OrcaAPI.Service.self, Endpoints.self, Node.self, Event.self,
        Namespace.self,
    ]

    static func schemas() throws -> (SchemaSet, [String: String]) {
        var set = SchemaSet()
        var roots: [String: String] = [:]
        for kind in kinds { roots[kind.kind] = try set.add(kind) }
        return (set, roots)
    }

    @Test func everyKindIsReadOffItsCodableConformance() throws {
        let (set, roots) = try Self.schemas()
        #expect(roots["Pod"] == "io.k8s.api.core.v1.Pod")
        #expect(roots["Namespace"] == "io.k8s.api.core.v1.Namespace")
        let pod = try #require(set.definitions["io.k8s.api.core.v1.Pod"])
        #expect(pod.properties.map(\.name) == ["apiVersion", "kind", "metadata", "spec", "status"])
        #expect(pod.property("metadata")?.type == .object("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"))
        let spec = try #require(set.definitions["io.k8s.api.core.v1.PodSpec"])
        let containers = try #require(spec.property("containers"))
        #expect(containers.type == .array(.object("io.k8s.api.core.v1.Container")))
        #expect(containers.required)
        #expect(containers.semantics?.patchMergeKey == "name")
        #expect(spec.property("restartPolicy")?.type == .string(enumValues: ["Always", "OnFailure", "Never"]))
        #expect(spec.property("nodeSelector")?.type == .map(.string()))
        #expect(spec.property("terminationGracePeriodSeconds")?.type == .integer(format: "int64"))
        let container = try #require(set.definitions["io.k8s.api.core.v1.Container"])
        #expect(container.property("ports")?.semantics?.listMapKeys == ["containerPort", "protocol"])
        #expect(set.definitions["io.k8s.api.core.v1.ResourceRequirements"]?.property("limits")?.type == .map(.quantity))
        #expect(set.definitions["io.k8s.api.core.v1.ServicePort"]?.property("targetPort")?.type == .intOrString)
        #expect(set.definitions["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]?.property("creationTimestamp")?.type
                == .string(format: "date-time"))
    }

    @Test func theNodeInfoFieldsTheClientsRequireAreRequired() throws {
        let (set, _) = try Self.schemas()
        let info = try #require(set.definitions["io.k8s.api.core.v1.NodeSystemInfo"])
        #expect(Set(info.properties.filter(\.required).map(\.name)) == [
            "machineID", "systemUUID", "bootID", "kernelVersion", "osImage", "containerRuntimeVersion",
            "kubeletVersion", "kubeProxyVersion", "operatingSystem", "architecture",
        ])
    }

    @Test func aTypeTheRecorderCannotReadFailsLoudly() {
        struct Opaque: Decodable {
            init(from decoder: any Decoder) throws { _ = try decoder.singleValueContainer() }
        }
        struct Holder: Decodable { var opaque: Opaque }
        var set = SchemaSet()
        #expect(throws: SchemaError.self) { try set.add(Holder.self) }
    }
}
