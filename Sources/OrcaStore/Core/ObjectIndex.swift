/// The current objects by key, with the keys also kept in byte order for prefix lists.
struct ObjectIndex {
    private var objects: [String: StoredObject] = [:]
    private var keys = SortedKeys()

    init() {}

    init(_ objects: [StoredObject]) {
        for object in objects { self.objects[object.key] = object }
        keys = SortedKeys(self.objects.keys)
    }

    var count: Int { objects.count }

    subscript(key: String) -> StoredObject? { objects[key] }

    /// Stores `object` under its key, adding or replacing.
    mutating func put(_ object: StoredObject) {
        if objects.updateValue(object, forKey: object.key) == nil { keys.insert(object.key) }
    }

    mutating func remove(_ key: String) {
        if objects.removeValue(forKey: key) != nil { keys.remove(key) }
    }

    /// Applies a committed event.
    mutating func apply(_ event: StoreEvent) {
        switch event.type {
        case .added, .modified: put(event.object)
        case .deleted: remove(event.object.key)
        }
    }

    /// Objects whose key starts with `prefix`, after `startAfter`, at most `limit` (nil or < 1: all),
    /// and how many more match after the last one returned.
    func list(prefix: String, startAfter: String?, limit: Int?) -> (items: [StoredObject], remaining: Int) {
        var position = keys.lowerBound(prefix)
        if let startAfter { position = max(position, keys.upperBound(startAfter)) }
        let end = keys.partitionPoint { KeyOrder.precedes($0, prefix) || KeyOrder.hasPrefix($0, prefix) }
        let available = keys.distance(from: position, to: end)
        let take = if let limit, limit > 0 { min(limit, available) } else { available }
        var items: [StoredObject] = []
        items.reserveCapacity(take)
        for _ in 0..<take {
            items.append(objects[keys[position]]!)
            position = keys.index(after: position)
        }
        return (items, available - take)
    }
}
