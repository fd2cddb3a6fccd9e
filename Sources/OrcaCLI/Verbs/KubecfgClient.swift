import Foundation
import OrcaAPI
import OrcaClient

/// What `kubecfg`'s verbs need from the master; ``OrcaClient/OrcaClient`` is the real one,
/// tests use a fake. Failures are thrown as `APIError` (the master refused) or any other error
/// (it could not be reached).
public protocol KubecfgClient: Sendable {
    func get<T: APIObject>(_ type: T.Type, name: String, namespace: String) async throws -> T
    func list<T: APIObject>(
        _ type: T.Type, namespace: String?, labelSelector: String?, fieldSelector: String?
    ) async throws -> ObjectList<T>
    func create<T: APIObject>(_ object: T, namespace: String?) async throws -> T
    func update<T: APIObject>(_ object: T) async throws -> T
    func delete<T: APIObject>(_ type: T.Type, name: String, namespace: String) async throws
    /// Sets an RC's `spec.replicas` (the `scale` subresource).
    func scale(replicationController name: String, namespace: String, replicas: Int, resourceVersion: String?)
        async throws -> Scale
    func logs(pod: String, namespace: String, container: String?) async throws -> String
    /// A raw request (v1beta1 paths, bodies sent unchanged); non-2xx answers are thrown.
    func send(method: String, path: String, body: Data?, contentType: String) async throws
        -> (status: Int, body: Data)
}

extension OrcaClient: KubecfgClient {
    public func list<T: APIObject>(
        _ type: T.Type, namespace: String?, labelSelector: String?, fieldSelector: String?
    ) async throws -> ObjectList<T> {
        try await list(type, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector,
                       limit: nil, continue: nil)
    }
}
