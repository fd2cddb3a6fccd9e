import Foundation
import Hummingbird
import OrcaAPI
import OrcaManifest

/// `GET|PUT|PATCH .../replicationcontrollers/{name}/scale` (what `kubectl scale` uses).
enum RCScale {
    static func handle(_ request: APIRequest, _ endpoint: KindEndpoint<ReplicationController>) async throws -> Response {
        guard let name = request.path.name else { throw APIError(.notFound, "scale needs a controller name") }
        let namespace = request.namespace ?? "default"
        let registry = endpoint.registry
        switch request.method {
        case .get:
            return Responses.json(scale(of: try await registry.get(namespace: namespace, name: name)))
        case .put, .patch:
            guard let body = request.body else { throw APIError.badRequest("the request body is empty") }
            var value = try ManifestDecoder.jsonValue(from: body)
            if request.method == .patch {
                let current = scale(of: try await registry.get(namespace: namespace, name: name))
                value = MergePatch.apply(value, to: JSON.object(current))
            }
            guard var object = value as? [String: Any] else { throw APIError.badRequest("the body must be an object") }
            if object["metadata"] == nil { object["metadata"] = [String: Any]() }
            let wanted = try ManifestDecoder.decode(Scale.self, from: object)
            guard let replicas = wanted.spec?.replicas else {
                throw APIError.invalid(kind: "Scale", name: name, [.required("spec.replicas")])
            }
            guard replicas >= 0 else {
                throw APIError.invalid(kind: "Scale", name: name,
                                       [.invalid("spec.replicas", String(replicas), "must be greater than or equal to 0")])
            }
            let expected = wanted.metadata.resourceVersion.flatMap { $0.isEmpty ? nil : $0 }
            let updated = try await registry.guaranteedUpdate(namespace: namespace, name: name) { rc in
                if let expected, rc.metadata.resourceVersion != expected {
                    throw APIError.conflict("replicationcontrollers", name,
                                            "the object has been modified; please apply your changes to the latest version and try again")
                }
                rc.spec?.replicas = replicas
            }
            return Responses.json(scale(of: updated))
        default:
            throw APIError(.methodNotAllowed, "scale supports GET, PUT and PATCH")
        }
    }

    static func scale(of rc: ReplicationController) -> Scale {
        var meta = ObjectMeta(name: rc.metadata.name, namespace: rc.metadata.namespace)
        meta.resourceVersion = rc.metadata.resourceVersion
        meta.uid = rc.metadata.uid
        meta.creationTimestamp = rc.metadata.creationTimestamp
        return Scale(
            metadata: meta, spec: ScaleSpec(replicas: rc.spec?.replicas ?? 0),
            status: ScaleStatus(replicas: rc.status?.replicas ?? 0,
                                selector: rc.spec?.selector.map { LabelSelector($0).description }))
    }
}
