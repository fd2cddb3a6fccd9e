import Foundation
import Hummingbird
import OrcaAPI
import OrcaManifest

/// The endpoint of one kind: list, get, create, update, patch, delete, watch and subresources,
/// in v1 and (through conversion) v1beta1.
struct KindEndpoint<T: V1Beta1Convertible>: ResourceEndpoint {
    typealias Subresource = @Sendable (APIRequest, KindEndpoint<T>) async throws -> Response

    let registry: ResourceRegistry<T>
    /// Called before a create is stored (service IP allocation). Throws to refuse.
    var admitCreate: @Sendable (inout T) async throws -> Void = { _ in }
    /// Called when a create failed after admission, to undo it (release the IP).
    var undoCreate: @Sendable (T) async -> Void = { _ in }
    /// Called before an update through the main resource is stored.
    var admitUpdate: (@Sendable (_ new: inout T, _ old: T) async throws -> Void)?
    var afterDelete: @Sendable (T) async -> Void = { _ in }
    /// Extra subresources by name (`binding`, `scale`); `status` is generic.
    var subresources: [String: Subresource] = [:]
    /// Encoded lines of recent changes, shared by this kind's watchers.
    private let watchLines = RevisionCache<WatchLineKey, Data>()

    var resource: String { T.resource }
    var v1beta1Resource: String? { T.v1beta1Resource }
    var namespaced: Bool { T.namespaced }
    var kind: String { T.kind }

    init(registry: ResourceRegistry<T>) {
        self.registry = registry
    }

    func handle(_ request: APIRequest) async throws -> Response {
        let path = request.path
        let namespace = T.namespaced ? request.namespace : nil
        if T.namespaced, path.version == .v1, path.namespace == nil, path.name != nil {
            // `/api/v1/pods/NAME` is not a path: a named pod lives in a namespace.
            throw APIError(.notFound, "the server could not find the requested resource: \(T.resource)/\(path.name!)")
        }
        if let sub = path.subresource {
            if sub == "status", registry.rules.applyStatus != nil, path.version == .v1 {
                return try await handleStatus(request, namespace: namespace)
            }
            guard let handler = subresources[sub] else {
                throw APIError(.notFound, "the server could not find the requested resource (\(T.resource)/\(sub))")
            }
            return try await handler(request, self)
        }
        try request.query.fieldSelector?.validate(for: T.self)
        let watch = request.query.watch || path.watchPrefix
        switch (request.method, path.name) {
        case (.get, nil) where watch, (.get, .some) where watch:
            return try await watchResponse(request, namespace: request.namespace)
        case (.get, nil):
            let list = try await registry.list(namespace: T.namespaced ? request.namespace : nil, query: request.query)
            return encodeList(list, version: path.version)
        case (.get, let name?):
            return encode(try await registry.get(namespace: namespace ?? "default", name: name), version: path.version)
        case (.post, nil):
            var object = try decodeBody(request)
            try rejectWrongNamespaceForPost(request)
            object = try await create(object, namespace: namespace ?? "default")
            return encode(object, version: path.version, status: .created, written: .added)
        case (.put, let name?):
            let object = try decodeBody(request)
            return encode(try await update(object, namespace: namespace ?? "default", name: name),
                          version: path.version, written: .modified)
        case (.patch, let name?):
            let updated = try await patch(request, namespace: namespace ?? "default", name: name, status: false)
            return encode(updated, version: path.version, written: .modified)
        case (.delete, let name?):
            let deleted = try await registry.delete(namespace: namespace ?? "default", name: name)
            await afterDelete(deleted)
            if path.version == .v1beta1 {
                return Responses.json(V1Beta1Status(Status.success()))
            }
            return encode(deleted, version: .v1, written: .deleted)
        case (.delete, nil):
            throw APIError(.methodNotAllowed, "deleting a collection of \(T.resource) is not supported")
        default:
            throw APIError(.methodNotAllowed, "the server does not allow this method on the requested resource")
        }
    }

    // MARK: Verbs shared with subresources and the master's own bootstrap

    func create(_ object: T, namespace: String) async throws -> T {
        var admitted: T?
        do {
            return try await registry.create(object, namespace: namespace) { object in
                try await admitCreate(&object)
                admitted = object
            }
        } catch {
            if let admitted { await undoCreate(admitted) }
            throw error
        }
    }

    func update(_ object: T, namespace: String, name: String) async throws -> T {
        var object = object
        if let admitUpdate {
            // Admission needs the stored object (to keep an allocated clusterIP or pod CIDR).
            let old = try await registry.get(namespace: namespace, name: name)
            try await admitUpdate(&object, old)
        }
        return try await registry.update(object, namespace: namespace, name: name, status: false)
    }

    private func handleStatus(_ request: APIRequest, namespace: String?) async throws -> Response {
        guard let name = request.path.name else {
            throw APIError(.notFound, "the server could not find the requested resource")
        }
        let ns = namespace ?? "default"
        switch request.method {
        case .get:
            return encode(try await registry.get(namespace: ns, name: name), version: .v1)
        case .put:
            let object = try decodeBody(request)
            return encode(try await registry.update(object, namespace: ns, name: name, status: true), version: .v1,
                          written: .modified)
        case .patch:
            return encode(try await patch(request, namespace: ns, name: name, status: true), version: .v1,
                          written: .modified)
        default:
            throw APIError(.methodNotAllowed, "the server does not allow this method on the requested resource")
        }
    }

    /// JSON merge patch (RFC 7386); strategic merge patches are applied the same way, which
    /// agrees for the fields Orca's kinds have except lists, which are replaced whole.
    private func patch(_ request: APIRequest, namespace: String, name: String, status: Bool) async throws -> T {
        let contentType = request.request.headers[.contentType] ?? ""
        guard !contentType.contains("json-patch+json") else {
            throw APIError(.unsupportedMediaType, "JSON patch (RFC 6902) is not supported; use a merge patch")
        }
        guard let body = request.body else { throw APIError.badRequest("the patch body is empty") }
        let patchValue = try ManifestDecoder.jsonValue(from: body)
        let current = try await registry.get(namespace: namespace, name: name)
        let merged = MergePatch.apply(patchValue, to: JSON.object(current))
        var object = try ManifestDecoder.decode(T.self, from: merged)
        // The patch may not move the object; a resourceVersion in it is a precondition.
        object.metadata.name = name
        if status {
            return try await registry.update(object, namespace: namespace, name: name, status: true)
        }
        return try await update(object, namespace: namespace, name: name)
    }

    // MARK: Bodies

    func decodeBody(_ request: APIRequest) throws -> T {
        guard let body = request.body, !body.isEmpty else { throw APIError.badRequest("the request body is empty") }
        // A well-formed JSON body is read in one pass; anything else takes the dictionary path below.
        switch request.path.version {
        case .v1:
            if let object = JSONBody.decode(T.self, from: body, apiVersion: ["v1"], kind: T.kind,
                                            requireMetadata: true) {
                return object
            }
        case .v1beta1:
            if let beta = JSONBody.decode(T.V1Beta1Object.self, from: body, apiVersion: ["v1beta1"],
                                          kind: T.v1beta1Kind, requireMetadata: false) {
                return try T(v1beta1: beta)
            }
        }
        var object = try ManifestDecoder.object(from: body)
        switch request.path.version {
        case .v1:
            try Self.checkTypeMeta(object, apiVersion: ["v1"], kind: T.kind)
            if object["metadata"] == nil || object["metadata"] is NSNull { object["metadata"] = [String: Any]() }
            return try ManifestDecoder.decode(T.self, from: object)
        case .v1beta1:
            try Self.checkTypeMeta(object, apiVersion: ["v1beta1"], kind: T.v1beta1Kind)
            let beta = try ManifestDecoder.decode(T.V1Beta1Object.self, from: object)
            return try T(v1beta1: beta)
        }
    }

    /// 400 for a body of another kind or version than the path addresses.
    static func checkTypeMeta(_ object: [String: Any], apiVersion: [String], kind: String) throws(APIError) {
        if let version = object["apiVersion"] {
            guard let text = version as? String else { throw .badRequest("apiVersion: expected a string") }
            if !text.isEmpty && !apiVersion.contains(text) {
                throw .badRequest(
                    "the API version in the data (\(text)) does not match the expected API version (\(apiVersion[0]))")
            }
        }
        if let value = object["kind"] {
            guard let text = value as? String else { throw .badRequest("kind: expected a string") }
            if !text.isEmpty && text != kind {
                throw .badRequest("the object provided is unrecognized (must be of type \(kind)): kind \"\(text)\"")
            }
        }
    }

    private func rejectWrongNamespaceForPost(_ request: APIRequest) throws {
        if T.namespaced && request.path.version == .v1 && request.path.namespace == nil {
            throw APIError(.methodNotAllowed, "create \(T.resource) in a namespace: POST /api/v1/namespaces/{namespace}/\(T.resource)")
        }
    }

    /// The v1 encoding of a watched object: its stored bytes with the resourceVersion put in when
    /// they are of this kind and version (they always are once written by this server), else encoded.
    static func v1Bytes(of event: WatchEvent<T>) -> Data {
        if let stored = event.stored, stored.starts(with: storedPrefix),
           let spliced = ResourceVersionSplice.insert(String(event.revision), into: stored) {
            return spliced
        }
        return JSON.encode(event.object)
    }

    /// How this kind's stored objects begin: `apiVersion` and `kind` are set on every write.
    private static var storedPrefix: Data { Data(#"{"apiVersion":"v1","kind":"\#(T.kind)","#.utf8) }

    /// The response carrying `object`. In v1 an object at revision N is, byte for byte, the object
    /// of the watch line of revision N, so the line's bytes are used when a watcher has encoded
    /// them already; otherwise the object is encoded here and, for a write (`written` says which
    /// event it caused), its line is cached for the watchers.
    func encode(_ object: T, version: APIVersion, status: HTTPResponse.Status = .ok,
                written event: APIWatchEventType? = nil) -> Response {
        switch version {
        case .v1:
            guard let revision = object.metadata.resourceVersion.flatMap({ Int64($0) }), revision > 0 else {
                return Responses.json(object, status: status)
            }
            let key = WatchLineKey(revision: revision, version: .v1)
            if let line = watchLines.cached(key), let body = WatchLineBytes.object(in: line) {
                return Responses.json(body, status: status)
            }
            let body = JSON.encode(object)
            if let event { watchLines.offer(WatchLineBytes.line(type: event, object: body), for: key) }
            return Responses.json(body, status: status)
        case .v1beta1:
            return Responses.json(object.v1beta1, status: status)
        }
    }

    func encodeList(_ list: ObjectList<T>, version: APIVersion) -> Response {
        switch version {
        case .v1: Responses.json(list)
        case .v1beta1: Responses.json(V1Beta1List<T>(list))
        }
    }

    // MARK: Watch

    private func watchResponse(_ request: APIRequest, namespace: String?) async throws -> Response {
        var query = request.query
        if let name = request.path.name {
            // `/watch/pods/NAME` watches one object.
            query.fieldSelector = FieldSelector(["metadata.name": name])
        }
        let version = request.path.version
        var initial: [T] = []
        let revision: Int64
        if let text = query.resourceVersion, let rv = Int64(text), rv > 0 {
            revision = rv
        } else {
            // No resourceVersion: the current state as ADDED events, then changes from there.
            var listQuery = query
            listQuery.limit = nil
            listQuery.continueToken = nil
            let list = try await registry.list(namespace: namespace, query: listQuery)
            initial = list.items
            revision = Int64(list.metadata.resourceVersion ?? "0") ?? 0
        }
        let events = try await registry.watch(namespace: namespace, from: revision, query: query)
        let timeout = min(query.timeoutSeconds.map { Duration.seconds($0) } ?? request.maxWatchDuration,
                          request.maxWatchDuration)
        let lines = watchLines
        return WatchResponder.response(
            request: request.request, initial: initial, events: events, timeout: timeout
        ) { event in
            let make = {
                switch version {
                case .v1: WatchLineBytes.line(type: event.type, object: Self.v1Bytes(of: event))
                case .v1beta1: JSON.encode(WatchLine(type: event.type.rawValue, object: event.object.v1beta1)) + newline
                }
            }
            // Replayed list items (revision 0) are per watcher; changes are shared by every watcher.
            guard event.revision > 0 else { return make() }
            return lines.value(for: WatchLineKey(revision: event.revision, version: version), make)
        } errorLine: { error in
            switch version {
            case .v1: JSON.encode(WatchLine(type: "ERROR", object: error.status)) + newline
            case .v1beta1: JSON.encode(WatchLine(type: "ERROR", object: V1Beta1Status(error.status))) + newline
            }
        }
    }
}

private let newline = Data([0x0A])

/// Encoded watch lines are shared per change and API version.
struct WatchLineKey: Hashable, Sendable {
    var revision: Int64
    var version: APIVersion
}

/// One line of a watch stream: `{"object":...,"type":"..."}` (keys sorted, as `JSON.encode` writes them).
struct WatchLine<Object: Encodable>: Encodable {
    var type: String
    var object: Object
}

/// A v1 watch line's bytes from an object's encoding and back, without a JSON pass: the line is
/// what `JSON.encode(WatchLine(type:object:))` writes (sorted keys: `object` before `type`).
enum WatchLineBytes {
    private static let head = Data(#"{"object":"#.utf8)

    static func line(type: APIWatchEventType, object: Data) -> Data {
        var line = head
        line.reserveCapacity(head.count + object.count + 24)
        line.append(object)
        line.append(contentsOf: #","type":""#.utf8)
        line.append(contentsOf: type.rawValue.utf8)
        line.append(contentsOf: #""}"#.utf8)
        line.append(0x0A)
        return line
    }

    /// The object's bytes inside `line`; nil when the line is not shaped as ``line(type:object:)`` makes it.
    static func object(in line: Data) -> Data? {
        guard line.starts(with: head), line.last == 0x0A,
              let comma = line.lastIndex(of: UInt8(ascii: ",")) else { return nil }
        let start = line.startIndex + head.count
        let tail = line[comma...]
        guard comma > start, tail.starts(with: Data(#","type":""#.utf8)) else { return nil }
        return Data(line[start..<comma])
    }
}
