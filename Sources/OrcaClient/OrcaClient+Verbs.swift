import AsyncHTTPClient
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OrcaAPI

extension OrcaClient {
    /// `GET` one object. Throws `APIError` with reason `.notFound` when there is none.
    ///
    /// `namespace` is ignored for cluster-scoped kinds (nodes).
    public func get<T: APIObject>(_ type: T.Type, name: String, namespace: String = "default") async throws -> T {
        try await request(T.self, method: "GET", path: APIPath.v1(T.self, namespace: namespace, name: name))
    }

    /// `GET` a collection, filtered by selectors, optionally one page at a time.
    ///
    /// - Parameters:
    ///   - namespace: nil lists every namespace.
    ///   - labelSelector: as the API takes it, `name=jenkins,tier!=db`.
    ///   - fieldSelector: as the API takes it, `spec.nodeName=minion-1`.
    ///   - limit: at most this many items; the list's `metadata.continue` then fetches the next page.
    ///   - continue: the token of the previous page.
    public func list<T: APIObject>(
        _ type: T.Type, namespace: String? = nil, labelSelector: String? = nil, fieldSelector: String? = nil,
        limit: Int? = nil, continue token: String? = nil
    ) async throws -> ObjectList<T> {
        let query = APIPath.query([
            ("labelSelector", labelSelector.flatMap { $0.isEmpty ? nil : $0 }),
            ("fieldSelector", fieldSelector.flatMap { $0.isEmpty ? nil : $0 }),
            ("limit", limit.map(String.init)),
            ("continue", token.flatMap { $0.isEmpty ? nil : $0 }),
        ])
        return try await request(
            ObjectList<T>.self, method: "GET", path: APIPath.v1(T.self, namespace: namespace) + query)
    }

    /// `POST` a new object and returns it as stored (name generated, uid and resourceVersion set).
    ///
    /// The namespace is `namespace`, else the object's own, else `default`.
    public func create<T: APIObject>(_ object: T, namespace: String? = nil) async throws -> T {
        let ns = namespace ?? object.metadata.namespace ?? "default"
        return try await request(
            T.self, method: "POST", path: APIPath.v1(T.self, namespace: ns), body: JSON.encode(object))
    }

    /// `PUT` an object over the stored one. Its `metadata.resourceVersion`, when set, makes the
    /// write a compare-and-swap: a stale version throws `APIError` with reason `.conflict`.
    /// The server ignores `status` here (see ``updateStatus(_:)``).
    public func update<T: APIObject>(_ object: T) async throws -> T {
        let path = try objectPath(object)
        return try await request(T.self, method: "PUT", path: path, body: JSON.encode(object))
    }

    /// `PUT` to the status subresource: only `status` is written (kubelets, controllers).
    public func updateStatus<T: APIObject>(_ object: T) async throws -> T {
        let path = try objectPath(object, subresource: "status")
        return try await request(T.self, method: "PUT", path: path, body: JSON.encode(object))
    }

    /// `DELETE` one object. Throws `APIError` with reason `.notFound` when there is none.
    public func delete<T: APIObject>(_ type: T.Type, name: String, namespace: String = "default") async throws {
        _ = try await send(method: "DELETE", path: APIPath.v1(T.self, namespace: namespace, name: name))
    }

    /// Binds a pending pod to a minion (`POST .../pods/{pod}/binding`).
    ///
    /// With `resourceVersion`, the bind fails with `.conflict` if the pod changed since it was
    /// read; a pod already bound always fails with `.conflict`.
    public func bind(pod: String, namespace: String = "default", node: String, resourceVersion: String? = nil)
        async throws {
        var meta = ObjectMeta(name: pod, namespace: namespace)
        meta.resourceVersion = resourceVersion
        let binding = Binding(metadata: meta, target: ObjectReference(kind: "Node", name: node))
        _ = try await send(
            method: "POST", path: APIPath.v1(Pod.self, namespace: namespace, name: pod, subresource: "binding"),
            body: JSON.encode(binding))
    }

    /// Reads a replication controller's `scale` subresource (desired and current replicas).
    public func scale(ofReplicationController name: String, namespace: String = "default") async throws -> Scale {
        try await request(
            Scale.self, method: "GET",
            path: APIPath.v1(ReplicationController.self, namespace: namespace, name: name, subresource: "scale"))
    }

    /// Sets a replication controller's `spec.replicas` through its `scale` subresource.
    ///
    /// With `resourceVersion` the write is a compare-and-swap; without, it always applies.
    @discardableResult
    public func scale(
        replicationController name: String, namespace: String = "default", replicas: Int,
        resourceVersion: String? = nil
    ) async throws -> Scale {
        var meta = ObjectMeta(name: name, namespace: namespace)
        meta.resourceVersion = resourceVersion
        let scale = Scale(metadata: meta, spec: ScaleSpec(replicas: replicas))
        return try await request(
            Scale.self, method: "PUT",
            path: APIPath.v1(ReplicationController.self, namespace: namespace, name: name, subresource: "scale"),
            body: JSON.encode(scale))
    }

    /// A container's log as text (`GET .../pods/{pod}/log[?container=]`); the container may be
    /// omitted when the pod has one.
    public func logs(pod: String, namespace: String = "default", container: String? = nil) async throws -> String {
        let path = APIPath.v1(Pod.self, namespace: namespace, name: pod, subresource: "log")
            + APIPath.query([("container", container)])
        let response = try await send(method: "GET", path: path)
        return String(decoding: response.body, as: UTF8.self)
    }

    private func objectPath<T: APIObject>(_ object: T, subresource: String? = nil) throws -> String {
        guard let name = object.metadata.name, !name.isEmpty else {
            throw APIError.badRequest("\(T.kind) has no metadata.name to update")
        }
        return APIPath.v1(T.self, namespace: object.metadata.namespace ?? "default", name: name,
                          subresource: subresource)
    }
}
