import Foundation
import Logging
import OrcaAPI
import OrcaStore

/// Stores and reads one kind: keys, server-set metadata, defaulting, validation,
/// compare-and-swap, and typed watch events. Generic, so every kind behaves alike.
struct ResourceRegistry<T: APIObject>: Sendable {
    let store: any ObjectStore
    let rules: ResourceRules<T>
    /// Decoded objects of recent revisions, shared by this kind's watchers and reads (a revision
    /// is one write of one key, so its object never changes): an update usually finds the object
    /// it replaces here, decoded when its last write went out to the watchers.
    private let decoded = RevisionCache<Int64, T>()
    /// Objects being written, so the watch path need not decode what the writer holds.
    private let writing = WritesInFlight<T>()

    init(store: any ObjectStore, rules: ResourceRules<T> = ResourceRules()) {
        self.store = store
        self.rules = rules
    }

    // MARK: Keys

    static func prefix(namespace: String?) -> String {
        if T.namespaced, let namespace { return "/registry/\(T.resource)/\(namespace)/" }
        return "/registry/\(T.resource)/"
    }

    static func key(namespace: String?, name: String) -> String {
        prefix(namespace: T.namespaced ? namespace ?? "default" : nil) + name
    }

    // MARK: Reads

    func get(namespace: String?, name: String) async throws -> T {
        guard let stored = try await store.get(Self.key(namespace: namespace, name: name)) else {
            throw APIError.notFound(T.resource, name)
        }
        return try decode(stored)
    }

    func list(namespace: String?, query: RequestQuery) async throws -> ObjectList<T> {
        let prefix = Self.prefix(namespace: namespace)
        var startAfter: String?
        if let token = query.continueToken {
            startAfter = try ContinueToken.decode(token, prefix: prefix)
        }
        let result = try await store.list(prefix: prefix, startAfter: startAfter, limit: query.limit)
        var items: [T] = []
        items.reserveCapacity(result.items.count)
        for stored in result.items {
            let object = try decode(stored)
            if matches(object, query) { items.append(object) }
        }
        var meta = ListMeta(resourceVersion: String(result.revision))
        if result.hasMore, let last = result.items.last {
            meta.continue = ContinueToken.encode(startAfter: last.key, revision: result.revision)
            meta.remainingItemCount = Int64(result.remainingCount)
        }
        return ObjectList(items: items, metadata: meta)
    }

    func matches(_ object: T, _ query: RequestQuery) -> Bool {
        if let selector = query.labelSelector, !selector.matches(object.metadata.labels) { return false }
        if let selector = query.fieldSelector, !selector.matches(object) { return false }
        return true
    }

    // MARK: Writes

    /// Creates `object` in `namespace`: sets server fields, defaults, validates, stores.
    /// With `dryRun` everything but the store write happens, and the object is returned as it
    /// would have been stored (without a resourceVersion).
    func create(_ object: T, namespace: String?, dryRun: Bool = false,
                admit: (inout T) async throws -> Void = { _ in }) async throws -> T {
        var object = object
        try Self.checkNamespace(&object, namespace)
        if (object.metadata.name ?? "").isEmpty, let prefix = object.metadata.generateName, !prefix.isEmpty {
            object.metadata.name = NameGenerator.name(prefix: prefix)
        }
        rules.prepareForCreate(&object)
        object.metadata.uid = UIDGenerator.make()
        object.metadata.creationTimestamp = .nowInWholeSeconds()
        object.metadata.resourceVersion = nil
        object.metadata.selfLink = nil
        object.metadata.deletionTimestamp = nil
        object.metadata.generation = 1
        object.setDefaults()
        object.setTypeMeta()
        let errors = object.validate()
        guard errors.isEmpty else {
            throw APIError.invalid(kind: T.kind, name: object.metadata.name ?? "", errors)
        }
        try await admit(&object)
        let name = object.metadata.name ?? ""
        if dryRun {
            if try await store.get(Self.key(namespace: namespace, name: name)) != nil {
                throw APIError.alreadyExists(T.resource, name)
            }
            return object
        }
        do {
            let stored = try await persist(object, at: Self.key(namespace: namespace, name: name)) { key, bytes in
                try await store.create(key, value: bytes)
            }
            object.metadata.resourceVersion = String(stored.revision)
            return object
        } catch StoreError.alreadyExists {
            throw APIError.alreadyExists(T.resource, name)
        }
    }

    /// Replaces the object named `name` with `object` (main resource or status subresource).
    ///
    /// When the body carries a resourceVersion the write is compare-and-swap on it; without
    /// one it is unconditional, as Kubernetes allows for these kinds.
    func update(_ object: T, namespace: String?, name: String, status: Bool, dryRun: Bool = false) async throws -> T {
        var object = object
        try Self.checkNamespace(&object, namespace)
        if let bodyName = object.metadata.name, !bodyName.isEmpty, bodyName != name {
            throw APIError.badRequest(
                "the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        object.metadata.name = name
        let key = Self.key(namespace: namespace, name: name)
        let wanted = object.metadata.resourceVersion.flatMap { $0.isEmpty ? nil : $0 }
        while true {
            guard let stored = try await store.get(key) else { throw APIError.notFound(T.resource, name) }
            let old = try decode(stored)
            if let wanted, wanted != old.metadata.resourceVersion {
                throw APIError.conflict(
                    T.resource, name,
                    "the object has been modified; please apply your changes to the latest version and try again")
            }
            var updated: T
            if status {
                guard let applyStatus = rules.applyStatus else {
                    throw APIError(.notFound, "the server could not find the requested resource (\(T.resource) has no status)")
                }
                updated = old
                applyStatus(&updated, object)
            } else {
                updated = object
                rules.prepareForUpdate(&updated, old)
                updated.metadata.uid = old.metadata.uid
                updated.metadata.creationTimestamp = old.metadata.creationTimestamp
                updated.metadata.deletionTimestamp = old.metadata.deletionTimestamp
                updated.metadata.generation = old.metadata.generation
                updated.metadata.selfLink = nil
                updated.setDefaults()
            }
            updated.setTypeMeta()
            do {
                return try await write(updated, old: old, key: key, expectedRevision: stored.revision, dryRun: dryRun)
            } catch let error as APIError where error.reason == .conflict && wanted == nil {
                // An unconditional update lost a race with another writer: apply it to the newer object.
                continue
            }
        }
    }

    /// Reads, changes with `mutate`, and writes back, retrying when another writer got there first.
    func guaranteedUpdate(namespace: String?, name: String,
                          _ mutate: (inout T) throws -> Void) async throws -> T {
        let key = Self.key(namespace: namespace, name: name)
        while true {
            guard let stored = try await store.get(key) else { throw APIError.notFound(T.resource, name) }
            let old = try decode(stored)
            var updated = old
            try mutate(&updated)
            do {
                return try await write(updated, old: old, key: key, expectedRevision: stored.revision)
            } catch let error as APIError where error.reason == .conflict {
                continue
            }
        }
    }

    private func write(_ object: T, old: T, key: String, expectedRevision: Int64, dryRun: Bool = false) async throws -> T {
        var object = object
        if let specful = object as? any SpecCarryingObject, let oldSpecful = old as? any SpecCarryingObject,
           !specful.hasSameSpec(as: oldSpecful) {
            object.metadata.generation = (old.metadata.generation ?? 1) + 1
        }
        object.metadata.resourceVersion = nil
        let errors = object.validateUpdate(from: old)
        guard errors.isEmpty else {
            throw APIError.invalid(kind: T.kind, name: object.metadata.name ?? "", errors)
        }
        let name = object.metadata.name ?? ""
        if dryRun {
            // Answered as it would be stored; the resourceVersion stays the one it was checked against.
            object.metadata.resourceVersion = String(expectedRevision)
            return object
        }
        do {
            let stored = try await persist(object, at: key) { key, bytes in
                try await store.update(key, value: bytes, expectedRevision: expectedRevision)
            }
            object.metadata.resourceVersion = String(stored.revision)
            return object
        } catch StoreError.conflict {
            throw APIError.conflict(
                T.resource, name, "the object has been modified; please apply your changes to the latest version and try again")
        } catch StoreError.notFound {
            throw APIError.notFound(T.resource, name)
        }
    }

    /// Deletes and returns the object as it was, with the deletion's resourceVersion.
    func delete(namespace: String?, name: String, expectedResourceVersion: String? = nil) async throws -> T {
        let key = Self.key(namespace: namespace, name: name)
        var expected: Int64?
        if let text = expectedResourceVersion {
            guard let rv = Int64(text) else { throw APIError.badRequest("invalid resourceVersion \"\(text)\"") }
            expected = rv
        }
        do {
            let stored = try await store.delete(key, expectedRevision: expected)
            return try decode(stored)
        } catch StoreError.notFound {
            throw APIError.notFound(T.resource, name)
        } catch StoreError.conflict {
            throw APIError.conflict(T.resource, name, "the object has been modified")
        }
    }

    // MARK: Watch

    /// Typed events after `revision` for the objects that match `query`.
    func watch(namespace: String?, from revision: Int64, query: RequestQuery)
        async throws -> AsyncCompactMapSequence<AsyncThrowingStream<StoreEvent, any Error>, WatchEvent<T>> {
        let stream: AsyncThrowingStream<StoreEvent, any Error>
        do {
            stream = try await store.watch(prefix: Self.prefix(namespace: namespace), fromRevision: revision)
        } catch StoreError.compacted(let requested, let compacted) {
            throw APIError(.gone, "too old resource version: \(requested) (\(compacted))")
        }
        return stream.compactMap { event in
            // Every watcher of this kind sees the same event; decode it once between them (`decode`
            // goes through the revision cache).
            guard let object = try? decode(event.object),
                  matches(object, query) else { return nil }
            let type: APIWatchEventType = switch event.type {
            case .added: .added
            case .modified: .modified
            case .deleted: .deleted
            }
            return WatchEvent(type: type, object: object, revision: event.revision, stored: event.object.value)
        }
    }

    // MARK: Helpers

    /// Encodes `object` (whose resourceVersion is nil) and writes it with `write`, announcing it to
    /// the watch path while the write is in flight and caching it for its revision afterwards.
    private func persist(_ object: T, at key: String,
                       _ write: (String, Data) async throws -> StoredObject) async throws -> StoredObject {
        let bytes = JSON.encode(object)
        writing.begin(key: key, bytes: bytes, object: object)
        defer { writing.end(key: key, bytes: bytes) }
        let stored = try await write(key, bytes)
        decoded.offer(Self.readBack(object, revision: stored.revision), for: stored.revision)
        return stored
    }

    /// `object` as ``decode(_:)`` reads it back from the store at `revision`.
    private static func readBack(_ object: T, revision: Int64) -> T {
        var object = object
        object.metadata.resourceVersion = String(revision)
        object.setTypeMeta()
        return object
    }

    /// The object stored as `stored`: from the revision cache, else the write in flight that
    /// stored these bytes, else decoded.
    func decode(_ stored: StoredObject) throws -> T {
        try decoded.value(for: stored.revision) {
            if let object = writing.object(key: stored.key, bytes: stored.value) {
                return Self.readBack(object, revision: stored.revision)
            }
            return try decodeAfresh(stored)
        }
    }

    private func decodeAfresh(_ stored: StoredObject) throws -> T {
        var object: T
        do {
            object = try JSON.decode(T.self, from: stored.value)
        } catch {
            // A stored value that no longer decodes is our bug, not the caller's.
            throw APIError(.internalError, "stored \(T.resource) \(stored.key) cannot be read: \(error)")
        }
        object.metadata.resourceVersion = String(stored.revision)
        object.setTypeMeta()
        return object
    }

    private static func checkNamespace(_ object: inout T, _ namespace: String?) throws {
        guard T.namespaced else {
            object.metadata.namespace = nil
            return
        }
        let namespace = namespace ?? "default"
        if let own = object.metadata.namespace, !own.isEmpty, own != namespace {
            throw APIError.badRequest(
                "the namespace of the provided object (\(own)) does not match the namespace sent on the request (\(namespace))")
        }
        object.metadata.namespace = namespace
    }
}

extension SpecCarryingObject {
    func hasSameSpec(as other: any SpecCarryingObject) -> Bool {
        guard let other = other as? Self else { return false }
        return spec == other.spec
    }
}

/// A change to an object, as watches deliver it.
struct WatchEvent<T: APIObject>: Sendable {
    var type: APIWatchEventType
    var object: T
    /// The store revision of the change (0 for the ADDED events that replay a list).
    var revision: Int64
    /// The object's bytes as stored (without its resourceVersion), when the event is a change.
    var stored: Data? = nil
}

enum APIWatchEventType: String, Sendable {
    case added = "ADDED"
    case modified = "MODIFIED"
    case deleted = "DELETED"
    case error = "ERROR"
}
