import Foundation
import Hummingbird
import OrcaAPI
import OrcaManifest
import Synchronization

/// The endpoint of one kind: list, get, create, update, patch, delete, watch and subresources,
/// in its own version and (through ``VersionCodec``s) others, such as the seed's v1beta1.
struct KindEndpoint<T: APIObject>: ResourceEndpoint {
    typealias Subresource = @Sendable (APIRequest, KindEndpoint<T>) async throws -> Response

    let registry: ResourceRegistry<T>
    /// Called before a create is stored (service IP allocation). Throws to refuse.
    var admitCreate: @Sendable (inout T) async throws -> Void = { _ in }
    /// Called when a create failed after admission, to undo it (release the IP).
    var undoCreate: @Sendable (T) async -> Void = { _ in }
    /// Called before an update through the main resource is stored.
    var admitUpdate: (@Sendable (_ new: inout T, _ old: T) async throws -> Void)?
    var afterDelete: @Sendable (T) async -> Void = { _ in }
    /// Refuses creates in a namespace that does not exist or is being deleted (namespaced kinds).
    var namespaceLifecycle: NamespaceLifecycle?
    /// Deletes the objects a deleted object owned (v1 deletes, unless the policy is Orphan).
    var cascade: Cascade?
    /// Replaces the store delete (a namespace is marked Terminating, not deleted).
    var deleteObject: (@Sendable (_ name: String) async throws -> T)?
    /// Extra subresources by name (`binding`, `scale`); `status` is generic.
    private(set) var subresources: [String: Subresource] = [:]
    /// What discovery says of the subresources, `status` included when the kind has one.
    private(set) var subresourceInfo: [SubresourceInfo] = []
    /// The schema of each subresource's kind, when it is not `T`.
    private(set) var subresourceSchemas: [String: @Sendable (inout SchemaSet) throws -> String] = [:]
    /// Other versions served by conversion, by group and version.
    private(set) var conversions: [GroupVersion: VersionCodec<T>] = [:]
    /// Encoded lines of recent changes, shared by this kind's watchers.
    private let watchLines = RevisionCache<WatchLineKey, Data>()

    var namespaced: Bool { T.namespaced }

    init(registry: ResourceRegistry<T>) {
        self.registry = registry
        if registry.rules.applyStatus != nil {
            subresourceInfo.append(SubresourceInfo(name: "status", kind: T.kind, verbs: ["get", "patch", "update"]))
        }
    }

    /// Serves `name` under each object with `handler`; `kind` and `verbs` are what discovery says of it.
    mutating func addSubresource<Body: Decodable & SendableMetatype>(_ name: String, kind: String, schema: Body.Type,
                                                  groupVersion: GroupVersion? = nil, verbs: [String],
                                                  _ handler: @escaping Subresource) {
        subresources[name] = handler
        if Body.self != T.self { subresourceSchemas[name] = { try $0.add(Body.self) } }
        subresourceInfo.append(SubresourceInfo(name: name, kind: kind, groupVersion: groupVersion, verbs: verbs))
    }

    func addSchemas(to schemas: inout SchemaSet) throws -> EndpointSchemaNames {
        var names = EndpointSchemaNames(object: try schemas.add(T.self), list: try schemas.add(ObjectList<T>.self))
        for (name, add) in subresourceSchemas { names.subresources[name] = try add(&schemas) }
        return names
    }

    /// Serves the kind in another version too.
    mutating func addVersion(_ codec: VersionCodec<T>) {
        conversions[codec.groupVersion] = codec
    }

    var info: ResourceInfo {
        ResourceInfo(groupVersion: GroupVersion(T.group, T.version), resource: T.resource, kind: T.kind,
                     namespaced: T.namespaced, shortNames: T.shortNames, categories: T.categories,
                     subresources: subresourceInfo.sorted { $0.name < $1.name })
    }

    var otherVersions: [(groupVersion: GroupVersion, resource: String, kind: String)] {
        conversions.values.map { ($0.groupVersion, $0.resource, $0.kind) }.sorted { $0.groupVersion < $1.groupVersion }
    }

    /// The codec of the request's version; nil for the kind's own.
    private func codec(_ request: APIRequest) -> VersionCodec<T>? { conversions[request.path.groupVersion] }

    func handle(_ request: APIRequest) async throws -> Response {
        let path = request.path
        let codec = codec(request)
        let namespace = T.namespaced ? request.namespace : nil
        if T.namespaced, path.version == .v1, path.namespace == nil, path.name != nil {
            // `/api/v1/pods/NAME` is not a path: a named pod lives in a namespace.
            throw APIError(.notFound, "the server could not find the requested resource: \(T.resource)/\(path.name!)")
        }
        if let sub = path.subresource {
            if sub == "status", registry.rules.applyStatus != nil, codec == nil {
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
            if codec == nil, request.wantsTable {
                return Responses.json(Table.encode(list.items, listMeta: list.metadata,
                                                   includeObject: request.query.includeObject))
            }
            return encodeList(list, codec: codec)
        case (.get, let name?):
            let object = try await registry.get(namespace: namespace ?? "default", name: name)
            if codec == nil, request.wantsTable {
                return Responses.json(Table.encode([object], listMeta: ListMeta(resourceVersion: object.metadata.resourceVersion),
                                                   includeObject: request.query.includeObject))
            }
            return encode(object, codec: codec)
        case (.post, nil):
            var object = try decodeBody(request)
            try rejectWrongNamespaceForPost(request)
            object = try await create(object, namespace: namespace ?? "default", dryRun: request.query.dryRun)
            return encode(object, codec: codec, status: .created, written: .added)
        case (.put, let name?):
            let object = try decodeBody(request)
            return encode(try await update(object, namespace: namespace ?? "default", name: name,
                                           dryRun: request.query.dryRun),
                          codec: codec, written: .modified)
        case (.patch, let name?):
            let updated = try await patch(request, namespace: namespace ?? "default", name: name, status: false)
            return encode(updated, codec: codec, written: .modified)
        case (.delete, let name?):
            var query = request.query
            if let body = request.body, !body.isEmpty {
                try query.addDeleteOptions(try ManifestDecoder.object(from: body))
            }
            // The seed's API deletes only what it names.
            if path.version == .v1beta1 { query.propagationPolicy = "Orphan" }
            let deleted = try await delete(namespace: namespace ?? "default", name: name, options: query)
            if let codec, codec.groupVersion == .v1beta1 {
                // The seed's API answers a delete with a Status.
                return Responses.json(codec.encodeStatus(Status.success()))
            }
            return encode(deleted, codec: codec, written: .deleted)
        case (.delete, nil):
            // The seed's API has no collection delete; v1 deletes a namespace's objects (or a
            // cluster-scoped kind's), never every namespace's at once.
            guard path.version == .v1, !T.namespaced || namespace != nil else {
                throw APIError(.methodNotAllowed, "the server does not allow this method on the requested resource")
            }
            _ = try await deleteCollection(namespace: namespace ?? "default", query: request.query)
            return Responses.json(codec?.encodeStatus(Status.success()) ?? JSON.encode(Status.success()))
        default:
            throw APIError(.methodNotAllowed, "the server does not allow this method on the requested resource")
        }
    }

    // MARK: Verbs shared with subresources and the master's own bootstrap

    func create(_ object: T, namespace: String, dryRun: Bool = false) async throws -> T {
        if T.namespaced, let namespaceLifecycle { try await namespaceLifecycle.admitCreate(in: namespace) }
        var admitted: T?
        do {
            let created = try await registry.create(object, namespace: namespace, dryRun: dryRun) { object in
                try await admitCreate(&object)
                admitted = object
            }
            // A dry run gives back what admission took (a service IP, a pod CIDR).
            if dryRun, let admitted { await undoCreate(admitted) }
            return created
        } catch {
            if let admitted { await undoCreate(admitted) }
            throw error
        }
    }

    func update(_ object: T, namespace: String, name: String, dryRun: Bool = false) async throws -> T {
        var object = object
        if let admitUpdate {
            // Admission needs the stored object (to keep an allocated clusterIP or pod CIDR).
            let old = try await registry.get(namespace: namespace, name: name)
            try await admitUpdate(&object, old)
        }
        return try await registry.update(object, namespace: namespace, name: name, status: false, dryRun: dryRun)
    }

    /// Deletes one object. `options` carries dryRun and the propagation policy: in v1, objects it
    /// owns (`ownerReferences`) are deleted with it unless the policy is Orphan (the seed's v1beta1
    /// never cascades); see docs/kubectl.md.
    func delete(namespace: String, name: String, options: RequestQuery = .all) async throws -> T {
        if options.dryRun {
            return try await registry.get(namespace: namespace, name: name)
        }
        if let deleteObject { return try await deleteObject(name) }
        let policy = options.propagationPolicy ?? "Background"
        if policy == "Foreground", let cascade {
            // Dependents first, then the owner (Kubernetes keeps the owner, marked, until they are gone).
            let owner = try await registry.get(namespace: namespace, name: name)
            if let uid = owner.metadata.uid { try await cascade.deleteOwned(by: uid, namespace: owner.metadata.namespace) }
        }
        let deleted = try await registry.delete(namespace: namespace, name: name)
        await afterDelete(deleted)
        if policy == "Background", let cascade, let uid = deleted.metadata.uid {
            try await cascade.deleteOwned(by: uid, namespace: deleted.metadata.namespace)
        }
        return deleted
    }

    func deleteOwned(by uid: String, namespace: String?) async throws {
        if T.namespaced && namespace == nil { return }
        let objects = try await registry.list(namespace: T.namespaced ? namespace : nil, query: .all).items
        for object in objects where object.metadata.ownerReferences?.contains(where: { $0.uid == uid }) == true {
            do {
                _ = try await delete(namespace: object.metadata.namespace ?? namespace ?? "default",
                                     name: object.metadata.name ?? "")
            } catch let error as APIError where error.reason == .notFound {
                continue
            }
        }
    }

    /// Deletes the objects in `namespace` that `query` selects; returns how many there were.
    @discardableResult
    func deleteCollection(namespace: String, query: RequestQuery = .all) async throws -> Int {
        var listQuery = query
        listQuery.limit = nil
        listQuery.continueToken = nil
        let objects = try await registry.list(namespace: T.namespaced ? namespace : nil, query: listQuery).items
        for object in objects {
            do {
                _ = try await delete(namespace: object.metadata.namespace ?? namespace, name: object.metadata.name ?? "")
            } catch let error as APIError where error.reason == .notFound {
                continue
            }
        }
        return objects.count
    }

    func deleteCollection(namespace: String) async throws -> Int {
        try await deleteCollection(namespace: namespace, query: .all)
    }

    private func handleStatus(_ request: APIRequest, namespace: String?) async throws -> Response {
        guard let name = request.path.name else {
            throw APIError(.notFound, "the server could not find the requested resource")
        }
        let ns = namespace ?? "default"
        switch request.method {
        case .get:
            return encode(try await registry.get(namespace: ns, name: name), codec: nil)
        case .put:
            let object = try decodeBody(request)
            return encode(try await registry.update(object, namespace: ns, name: name, status: true,
                                                    dryRun: request.query.dryRun), codec: nil,
                          written: .modified)
        case .patch:
            return encode(try await patch(request, namespace: ns, name: name, status: true), codec: nil,
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
            return try await registry.update(object, namespace: namespace, name: name, status: true,
                                             dryRun: request.query.dryRun)
        }
        return try await update(object, namespace: namespace, name: name, dryRun: request.query.dryRun)
    }

    // MARK: Bodies

    func decodeBody(_ request: APIRequest) throws -> T {
        guard let body = request.body, !body.isEmpty else { throw APIError.badRequest("the request body is empty") }
        if let codec = codec(request) { return try codec.decodeBody(body) }
        // A well-formed JSON body is read in one pass; anything else takes the dictionary path below.
        if let object = JSONBody.decode(T.self, from: body, apiVersion: [T.apiVersion], kind: T.kind,
                                        requireMetadata: true) {
            return object
        }
        var object = try ManifestDecoder.object(from: body)
        try BodyTypeMeta.check(object, apiVersion: [T.apiVersion], kind: T.kind)
        if object["metadata"] == nil || object["metadata"] is NSNull { object["metadata"] = [String: Any]() }
        return try ManifestDecoder.decode(T.self, from: object)
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
    private static var storedPrefix: Data { Data(#"{"apiVersion":"\#(T.apiVersion)","kind":"\#(T.kind)","#.utf8) }

    /// The response carrying `object`. In v1 an object at revision N is, byte for byte, the object
    /// of the watch line of revision N, so the line's bytes are used when a watcher has encoded
    /// them already; otherwise the object is encoded here and, for a write (`written` says which
    /// event it caused), its line is cached for the watchers.
    func encode(_ object: T, codec: VersionCodec<T>?, status: HTTPResponse.Status = .ok,
                written event: APIWatchEventType? = nil) -> Response {
        if let codec { return Responses.json(codec.encodeObject(object), status: status) }
        do {
            guard let revision = object.metadata.resourceVersion.flatMap({ Int64($0) }), revision > 0 else {
                return Responses.json(object, status: status)
            }
            let key = WatchLineKey(revision: revision, groupVersion: nil)
            if let line = watchLines.cached(key), let body = WatchLineBytes.object(in: line) {
                return Responses.json(body, status: status)
            }
            let body = JSON.encode(object)
            if let event { watchLines.offer(WatchLineBytes.line(type: event, object: body), for: key) }
            return Responses.json(body, status: status)
        }
    }

    func encodeList(_ list: ObjectList<T>, codec: VersionCodec<T>?) -> Response {
        if let codec { return Responses.json(codec.encodeList(list)) }
        return Responses.json(list)
    }

    // MARK: Watch

    private func watchResponse(_ request: APIRequest, namespace: String?) async throws -> Response {
        var query = request.query
        if let name = request.path.name {
            // `/watch/pods/NAME` watches one object.
            query.fieldSelector = FieldSelector(["metadata.name": name])
        }
        let codec = codec(request)
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
        if codec == nil, request.wantsTable {
            // Each event carries a one-row Table; the first also carries the columns (as Kubernetes
            // sends them, so kubectl prints its header once).
            let first = Mutex(true)
            let includeObject = query.includeObject
            return WatchResponder.response(
                request: request.request, initial: initial, events: events, timeout: timeout
            ) { event in
                let headers = first.withLock { first in defer { first = false }; return first }
                let table = Table.encode([event.object], listMeta: ListMeta(resourceVersion: event.object.metadata.resourceVersion),
                                         includeObject: includeObject, headers: headers)
                return WatchLineBytes.line(type: event.type, object: table)
            } errorLine: { error in
                JSON.encode(WatchLine(type: "ERROR", object: error.status)) + newline
            }
        }
        return WatchResponder.response(
            request: request.request, initial: initial, events: events, timeout: timeout
        ) { event in
            let make = {
                if let codec { return codec.encodeWatchLine(event.type, event.object) }
                return WatchLineBytes.line(type: event.type, object: Self.v1Bytes(of: event))
            }
            // Replayed list items (revision 0) are per watcher; changes are shared by every watcher.
            guard event.revision > 0 else { return make() }
            return lines.value(for: WatchLineKey(revision: event.revision, groupVersion: codec?.groupVersion), make)
        } errorLine: { error in
            if let codec { return codec.encodeErrorLine(error.status) }
            return JSON.encode(WatchLine(type: "ERROR", object: error.status)) + newline
        }
    }
}

private let newline = Data([0x0A])

/// Encoded watch lines are shared per change and API version.
struct WatchLineKey: Hashable, Sendable {
    var revision: Int64
    /// Nil for the kind's own version.
    var groupVersion: GroupVersion?
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
