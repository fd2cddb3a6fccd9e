import Foundation
import OrcaAPI
import OrcaCLI
import OrcaManifest
import Synchronization

/// An in-memory master for the verbs: stores objects as JSON by `resource/namespace/name`,
/// bumps a revision on every write, and records each call (`GET pods/default/jenkins`).
final class FakeClient: KubecfgClient {
    private struct State {
        var objects: [String: Data] = [:]
        var revision = 0
        var calls: [String] = []
        var logs: [String: String] = [:]
    }

    private let state = Mutex(State())

    /// Every call so far, in order.
    var calls: [String] { state.withLock { $0.calls } }

    func setLog(pod: String, text: String) {
        state.withLock { $0.logs[pod] = text }
    }

    private static func key<T: APIObject>(_ type: T.Type, _ namespace: String?, _ name: String) -> String {
        "\(T.resource)/\(T.namespaced ? namespace ?? "default" : "")/\(name)"
    }

    private func record(_ call: String) {
        state.withLock { $0.calls.append(call) }
    }

    /// Stores an object as a create would (name, namespace, uid and resourceVersion set).
    @discardableResult
    func seed<T: APIObject>(_ object: T) -> T {
        state.withLock { Self.store(object, namespace: object.metadata.namespace, in: &$0) }
    }

    private static func store<T: APIObject>(_ object: T, namespace: String?, in state: inout State) -> T {
        var object = object
        state.revision += 1
        if T.namespaced { object.metadata.namespace = namespace ?? object.metadata.namespace ?? "default" }
        if (object.metadata.name ?? "").isEmpty {
            object.metadata.name = (object.metadata.generateName ?? "") + "gen\(state.revision)"
        }
        object.metadata.uid = object.metadata.uid ?? "uid-\(state.revision)"
        object.metadata.resourceVersion = String(state.revision)
        object.setTypeMeta()
        state.objects[key(T.self, object.metadata.namespace, object.metadata.name!)] = JSON.encode(object)
        return object
    }

    func get<T: APIObject>(_ type: T.Type, name: String, namespace: String) async throws -> T {
        record("GET \(Self.key(T.self, namespace, name))")
        return try state.withLock { state throws -> T in
            guard let data = state.objects[Self.key(T.self, namespace, name)] else {
                throw APIError.notFound(T.resource, name)
            }
            return try JSONDecoder().decode(T.self, from: data)
        }
    }

    func list<T: APIObject>(
        _ type: T.Type, namespace: String?, labelSelector: String?, fieldSelector: String?
    ) async throws -> ObjectList<T> {
        record("LIST \(T.resource)/\(namespace ?? "") \(labelSelector ?? "")")
        let selector = try LabelSelector(parsing: labelSelector ?? "")
        let prefix = "\(T.resource)/" + (namespace.map { "\($0)/" } ?? "")
        let items = try state.withLock { state in
            try state.objects.filter { $0.key.hasPrefix(prefix) }.sorted { $0.key < $1.key }
                .map { try JSONDecoder().decode(T.self, from: $0.value) }
        }
        return ObjectList(items: items.filter { selector.matches($0.metadata.labels) })
    }

    func create<T: APIObject>(_ object: T, namespace: String?) async throws -> T {
        record("CREATE \(T.resource)/\(namespace ?? "")/\(object.metadata.name ?? "")")
        return try state.withLock { state throws -> T in
            if let name = object.metadata.name, state.objects[Self.key(T.self, namespace, name)] != nil {
                throw APIError.alreadyExists(T.resource, name)
            }
            return Self.store(object, namespace: namespace, in: &state)
        }
    }

    func update<T: APIObject>(_ object: T) async throws -> T {
        let name = object.metadata.name ?? ""
        record("UPDATE \(Self.key(T.self, object.metadata.namespace, name))")
        return try state.withLock { state throws -> T in
            let key = Self.key(T.self, object.metadata.namespace, name)
            guard let data = state.objects[key] else { throw APIError.notFound(T.resource, name) }
            let current = try JSONDecoder().decode(T.self, from: data)
            if let version = object.metadata.resourceVersion, version != current.metadata.resourceVersion {
                throw APIError.conflict(T.resource, name, "the object has been modified")
            }
            return Self.store(object, namespace: object.metadata.namespace, in: &state)
        }
    }

    func delete<T: APIObject>(_ type: T.Type, name: String, namespace: String) async throws {
        record("DELETE \(Self.key(T.self, namespace, name))")
        try state.withLock { state throws in
            guard state.objects.removeValue(forKey: Self.key(T.self, namespace, name)) != nil else {
                throw APIError.notFound(T.resource, name)
            }
        }
    }

    func scale(replicationController name: String, namespace: String, replicas: Int, resourceVersion: String?)
        async throws -> Scale {
        record("SCALE replicationcontrollers/\(namespace)/\(name) \(replicas)")
        return try state.withLock { state throws -> Scale in
            let key = Self.key(ReplicationController.self, namespace, name)
            guard let data = state.objects[key] else { throw APIError.notFound("replicationcontrollers", name) }
            var rc = try JSONDecoder().decode(ReplicationController.self, from: data)
            rc.spec?.replicas = replicas
            rc = Self.store(rc, namespace: namespace, in: &state)
            return Scale(metadata: rc.metadata, spec: ScaleSpec(replicas: replicas))
        }
    }

    func logs(pod: String, namespace: String, container: String?) async throws -> String {
        record("LOGS pods/\(namespace)/\(pod) \(container ?? "")")
        guard let text = state.withLock({ $0.logs[pod] }) else { throw APIError.notFound("pods", pod) }
        return text
    }

    /// Understands what `create` and `update` send: v1beta1 (converted, as the server does) and
    /// v1 bodies, POSTed to a collection or PUT to an object.
    func send(method: String, path: String, body: Data?, contentType: String) async throws
        -> (status: Int, body: Data) {
        record("\(method) \(path)")
        let url = URLComponents(string: path)!
        let parts = url.path.split(separator: "/").map(String.init)
        let version = parts[1]
        var namespace = url.queryItems?.first { $0.name == "namespace" }?.value ?? "default"
        var rest = Array(parts.dropFirst(2))
        if version == "v1", rest.first == "namespaces" {
            namespace = rest[1]
            rest.removeFirst(2)
        }
        let resource = rest[0]
        let name = rest.count > 1 ? rest[1] : nil
        guard let type = V1Beta1.kinds.first(where: {
            version == "v1beta1" ? $0.v1beta1Resource.lowercased() == resource.lowercased() : $0.resource == resource
        }) else { throw APIError(.notFound, "the server could not find the requested resource") }
        return try await write(type, method: method, version: version, namespace: namespace, name: name,
                               body: body ?? Data())
    }

    private func write<T: V1Beta1Convertible>(
        _ type: T.Type, method: String, version: String, namespace: String, name: String?, body: Data
    ) async throws -> (status: Int, body: Data) {
        var object = version == "v1beta1" ? try T(v1beta1Body: body) : try ManifestDecoder.decode(T.self, json: body)
        object.metadata.namespace = T.namespaced ? namespace : nil
        let stored = method == "PUT" ? try await update(object) : try await create(object, namespace: namespace)
        return (method == "PUT" ? 200 : 201, version == "v1beta1" ? stored.v1beta1JSON() : JSON.encode(stored))
    }
}
