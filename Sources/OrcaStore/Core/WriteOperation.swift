import Foundation

/// One requested write, checked against the current object before it gets a revision.
enum WriteOperation: Sendable {
    case create(key: String, value: Data)
    case update(key: String, value: Data, expectedRevision: Int64?)
    case delete(key: String, expectedRevision: Int64?)

    var key: String {
        switch self {
        case .create(let key, _), .update(let key, _, _), .delete(let key, _): key
        }
    }

    /// The event this write makes when applied on top of `current` as revision `revision`, or why
    /// it must fail (leaving the store and the revision counter untouched).
    func event(applyingTo current: StoredObject?, at revision: Int64) -> Result<StoreEvent, StoreError> {
        switch self {
        case .create(let key, let value):
            if current != nil { return .failure(.alreadyExists(key: key)) }
            let object = StoredObject(key: key, value: value, revision: revision, createRevision: revision)
            return .success(StoreEvent(type: .added, object: object))

        case .update(let key, let value, let expectedRevision):
            guard var object = current else { return .failure(.notFound(key: key)) }
            if let expectedRevision, expectedRevision != object.revision {
                return .failure(.conflict(key: key, currentRevision: object.revision))
            }
            object.value = value
            object.revision = revision
            return .success(StoreEvent(type: .modified, object: object))

        case .delete(let key, let expectedRevision):
            guard var object = current else { return .failure(.notFound(key: key)) }
            if let expectedRevision, expectedRevision != object.revision {
                return .failure(.conflict(key: key, currentRevision: object.revision))
            }
            object.revision = revision
            return .success(StoreEvent(type: .deleted, object: object))
        }
    }
}
