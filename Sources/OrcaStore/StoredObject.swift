import Foundation

/// One object as the store holds it: an opaque value under a key, with the revisions that wrote it.
///
/// The store never parses `value`; the API server keeps JSON there and patches
/// `metadata.resourceVersion` from `revision` when it serves the object.
public struct StoredObject: Sendable, Equatable {
    /// The full key, for example `/registry/pods/default/jenkins`.
    public var key: String
    /// The bytes the caller wrote, returned unchanged.
    public var value: Data
    /// The revision of the last write to this key (its "mod revision"). For an object returned by a
    /// delete, or carried by a `.deleted` event, the revision of the deletion.
    public var revision: Int64
    /// The revision of the create that started this object's life; kept by updates.
    public var createRevision: Int64

    /// Makes an object; callers normally get objects from a store rather than build them.
    public init(key: String, value: Data, revision: Int64, createRevision: Int64) {
        self.key = key
        self.value = value
        self.revision = revision
        self.createRevision = createRevision
    }
}

/// What a write did to a key, as a watch reports it.
public enum WatchEventType: Sendable, Equatable {
    /// The key was created.
    case added
    /// The key's value was replaced.
    case modified
    /// The key was deleted.
    case deleted
}

/// One write, as a watch delivers it.
public struct StoreEvent: Sendable, Equatable {
    /// What the write did.
    public var type: WatchEventType
    /// The object after the write; for `.deleted`, the last value before the deletion, with
    /// `revision` set to the deletion's revision. `object.revision` is always the event's revision.
    public var object: StoredObject

    /// Makes an event.
    public init(type: WatchEventType, object: StoredObject) {
        self.type = type
        self.object = object
    }

    /// The store revision this write created.
    public var revision: Int64 { object.revision }
}

/// One page of a prefix list.
public struct StoreListResult: Sendable, Equatable {
    /// Current objects whose key starts with the prefix, sorted by key bytes.
    public var items: [StoredObject]
    /// The store revision this read reflects: every write up to it is included, none after.
    /// A watch from this revision continues the list without gap or duplicate.
    public var revision: Int64
    /// How many more matching objects follow the last item (0 when this page is the last).
    public var remainingCount: Int

    /// Makes a list result.
    public init(items: [StoredObject], revision: Int64, remainingCount: Int) {
        self.items = items
        self.revision = revision
        self.remainingCount = remainingCount
    }

    /// Whether more matching objects follow; continue with `startAfter: items.last?.key`.
    public var hasMore: Bool { remainingCount > 0 }
}
