import Foundation
import Testing
@testable import OrcaAPI
import OrcaManifest

@Suite("v1beta1 Status")
struct V1Beta1StatusTests {
    private let errors = [
        FieldError.required("metadata.name"),
        FieldError.required("spec.containers[0].image"),
        FieldError.invalid("spec.containers[1].resources.limits[memory]", "-1", "must be positive"),
        FieldError.notSupported("spec.restartPolicy", "Sometimes", ["Always", "OnFailure", "Never"]),
        FieldError.invalid("spec.somethingNew", "x", "made up"),
    ]

    @Test func invalidPodStatusUsesV1Beta1Names() throws {
        let error = APIError.invalid(kind: "Pod", name: "jenkins", errors)
        let status = error.v1beta1Status
        #expect(status.kind == "Status")
        #expect(status.apiVersion == "v1beta1")
        #expect(status.status == "Failure")
        #expect(status.reason == "Invalid")
        #expect(status.code == 422)
        #expect(status.details?.id == "jenkins")
        #expect(status.details?.kind == "Pod")
        #expect(status.details?.causes?.map(\.field) == [
            "id",
            "desiredState.manifest.containers[0].image",
            "desiredState.manifest.containers[1].memory",
            "desiredState.manifest.restartPolicy",
            "desiredState.manifest.somethingNew",
        ])
        #expect(status.details?.causes?.map(\.reason) == errors.map(\.kind.rawValue))
        #expect(status.details?.causes?.map(\.message) == errors.map(\.message))
        let message = try #require(status.message)
        #expect(message.hasPrefix(#"Pod "jenkins" is invalid: [id: Required value, "#))
        #expect(message.contains("desiredState.manifest.containers[0].image: Required value"))
        #expect(!message.contains("spec."))

        let json = JSON.object(status)
        let details = try #require(json["details"] as? [String: Any])
        #expect(details["id"] as? String == "jenkins")
        #expect(details["name"] == nil)
    }

    @Test func roundTripWithCauses() throws {
        let original = APIError.invalid(kind: "Pod", name: "jenkins", errors).status
        let beta = V1Beta1.Status(original)
        let back = Status(v1beta1: beta)
        #expect(back == original)

        let wire = try JSONDecoder().decode(V1Beta1.Status.self, from: JSON.encode(beta))
        #expect(wire == beta)
        let rebuilt = APIError(v1beta1Status: wire, httpCode: 422)
        #expect(rebuilt == APIError.invalid(kind: "Pod", name: "jenkins", errors))
    }

    @Test func notFoundAndSuccess() {
        let notFound = APIError.notFound("pods", "jenkins").v1beta1Status
        #expect(notFound.reason == "NotFound")
        #expect(notFound.code == 404)
        #expect(notFound.details == V1Beta1.StatusDetails(id: "jenkins", kind: "pods"))
        #expect(APIError(v1beta1Status: notFound, httpCode: 404) == APIError.notFound("pods", "jenkins"))

        let minion = APIError.notFound("nodes", "10.245.2.9").v1beta1Status
        #expect(minion.details?.kind == "minions")
        #expect(Status(v1beta1: minion).details?.kind == "nodes")

        let ok = Status.success().v1beta1
        #expect(ok.status == "Success")
        #expect(ok.code == 200)
        #expect(ok.details == nil)
    }

    @Test func aPathInsideAnotherIsNotRewritten() {
        let error = APIError.invalid(kind: "ReplicationController", name: "r", [
            FieldError.required("spec.template.metadata.name"), FieldError.required("metadata.name"),
        ])
        let status = error.v1beta1Status
        #expect(status.details?.causes?.map(\.field) == ["desiredState.podTemplate.metadata.name", "id"])
        #expect(status.message == #"ReplicationController "r" is invalid: [desiredState.podTemplate.metadata.name: "#
            + #"Required value, id: Required value]"#)
    }

    @Test(arguments: [
        ("Pod", "metadata.labels[name]", "labels[name]"),
        ("Pod", "spec.nodeName", "desiredState.host"),
        ("Pod", "spec.nodeSelector", "nodeSelector"),
        ("Pod", "spec.volumes[2].hostPath.path", "desiredState.manifest.volumes[2].source.hostDir.path"),
        ("Pod", "spec.containers[0].ports[1].hostPort", "desiredState.manifest.containers[0].ports[1].hostPort"),
        ("Pod", "spec.containers[3].securityContext.privileged", "desiredState.manifest.containers[3].privileged"),
        ("Pod", "spec.containers[0].resources.limits[cpu]", "desiredState.manifest.containers[0].cpu"),
        ("Pod", "status.phase", "currentState.status"),
        ("pods", "spec", "desiredState.manifest"),
        ("ReplicationController", "spec.replicas", "desiredState.replicas"),
        ("ReplicationController", "spec.selector", "desiredState.replicaSelector"),
        ("ReplicationController", "spec.template.metadata.labels", "desiredState.podTemplate.labels"),
        ("replicationcontrollers", "spec.template.spec.containers[0].image",
         "desiredState.podTemplate.desiredState.manifest.containers[0].image"),
        ("ReplicationController", "spec.template.spec.nodeSelector", "desiredState.podTemplate.nodeSelector"),
        ("Service", "spec.ports[0].port", "port"),
        ("Service", "spec.ports[0].targetPort", "containerPort"),
        ("Service", "spec.ports[1].port", "spec.ports[1].port"),
        ("Service", "spec.clusterIP", "portalIP"),
        ("Service", "spec.selector[app]", "selector[app]"),
        ("Service", "spec.externalIPs[0]", "publicIPs[0]"),
        ("Node", "status.capacity[cpu]", "resources.capacity[cpu]"),
        ("Minion", "spec.podCIDR", "podCIDR"),
        ("nodes", "status.conditions[0].type", "status.conditions[0].kind"),
        ("Event", "lastTimestamp", "timestamp"),
        ("Event", "source.component", "source"),
        ("Endpoints", "subsets[0].addresses[1].ip", "endpoints"),
        ("Service", "spec.ports", "port"),
        (nil, "metadata.name", "id"),
        (nil, "spec.containers", "spec.containers"),
        ("Pod", "metadata.nameX", "metadata.nameX"),
        ("Pod", "", ""),
    ] as [(String?, String, String)])
    func fieldPaths(kind: String?, v1: String, v1beta1: String) {
        #expect(V1Beta1.fieldPath(fromV1: v1, kind: kind) == v1beta1)
    }

    @Test(arguments: [
        ("Pod", "desiredState.manifest.containers[0].memory", "spec.containers[0].resources.limits[memory]"),
        ("Pod", "desiredState.manifest.containers[0].command", "spec.containers[0].command"),
        ("Pod", "desiredState.host", "spec.nodeName"),
        ("Pod", "id", "metadata.name"),
        ("Service", "port", "spec.ports[0].port"),
        ("Minion", "hostIP", "hostIP"),
        ("Event", "timestamp", "lastTimestamp"),
    ])
    func reverseFieldPaths(kind: String, v1beta1: String, v1: String) {
        #expect(V1Beta1.v1FieldPath(fromV1Beta1: v1beta1, kind: kind) == v1)
    }
}
