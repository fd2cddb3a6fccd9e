import Foundation
import Hummingbird
import OrcaAPI
import OrcaManifest

/// `POST .../pods/{name}/binding`: assigns a pod to a minion, once.
///
/// Compare-and-swap: a binding for a pod that is already bound is a 409 Conflict, and a
/// binding that names a resourceVersion fails with 409 when the pod has changed since, so a
/// scheduler that planned on stale data plans again.
enum PodBinding {
    static func handle(_ request: APIRequest, _ endpoint: KindEndpoint<Pod>) async throws -> Response {
        guard request.method == .post, let name = request.path.name else {
            throw APIError(.methodNotAllowed, "binding supports only POST")
        }
        guard let body = request.body else { throw APIError.badRequest("the request body is empty") }
        let binding = try JSONBody.decode(Binding.self, from: body, apiVersion: ["v1"], kind: "Binding",
                                          requireMetadata: true) ?? decodeSlowly(body)
        guard let node = binding.target.name, !node.isEmpty else {
            throw APIError.invalid(kind: "Binding", name: name, [.required("target.name")])
        }
        if let bodyName = binding.metadata.name, !bodyName.isEmpty, bodyName != name {
            throw APIError.badRequest("the name of the binding (\(bodyName)) does not match the pod name (\(name))")
        }
        let namespace = request.namespace ?? "default"
        let expected = binding.metadata.resourceVersion.flatMap { $0.isEmpty ? nil : $0 }
        _ = try await endpoint.registry.guaranteedUpdate(namespace: namespace, name: name) { pod in
            if let expected, pod.metadata.resourceVersion != expected {
                throw APIError.conflict("pods", name, "the object has been modified; please apply your changes to the latest version and try again")
            }
            if let bound = pod.spec?.nodeName, !bound.isEmpty {
                throw APIError.conflict("pods", name, "pod \(name) is already assigned to node \"\(bound)\"")
            }
            if pod.metadata.deletionTimestamp != nil {
                throw APIError.conflict("pods", name, "pod \(name) is being deleted, cannot be assigned to a host")
            }
            pod.spec?.nodeName = node
            var status = pod.status ?? PodStatus(phase: .pending)
            var conditions = (status.conditions ?? []).filter { $0.type != "PodScheduled" }
            conditions.append(PodCondition(type: "PodScheduled", status: "True", lastTransitionTime: .nowInWholeSeconds()))
            status.conditions = conditions
            pod.status = status
        }
        return Responses.json(Status.success(code: 201), status: .created)
    }

    /// YAML, or JSON that ``JSONBody`` declined: through a dictionary, which names what is wrong.
    private static func decodeSlowly(_ body: Data) throws -> Binding {
        var object = try ManifestDecoder.object(from: body)
        try BodyTypeMeta.check(object, apiVersion: ["v1"], kind: "Binding")
        if object["metadata"] == nil { object["metadata"] = [String: Any]() }
        return try ManifestDecoder.decode(Binding.self, from: object)
    }
}
