/// A set of keys kept in byte order, for prefix lists with paging.
///
/// Keys live in sorted chunks of bounded size, so an insert or remove moves at most a chunk's worth
/// of elements instead of the whole array (the layout of Python's `sortedcontainers`).
struct SortedKeys {
    /// A place between keys: `chunk == chunks.count` is the end; otherwise `offset < chunks[chunk].count`.
    struct Position: Comparable {
        var chunk: Int
        var offset: Int

        static func < (lhs: Position, rhs: Position) -> Bool {
            (lhs.chunk, lhs.offset) < (rhs.chunk, rhs.offset)
        }
    }

    private static let chunkSize = 512
    private var chunks: [[String]] = []
    private(set) var count = 0

    init() {}

    init<S: Sequence<String>>(_ keys: S) {
        let sorted = keys.sorted(by: KeyOrder.precedes)
        var start = 0
        while start < sorted.count {
            let end = min(start + Self.chunkSize, sorted.count)
            chunks.append(Array(sorted[start..<end]))
            start = end
        }
        count = sorted.count
    }

    var startPosition: Position { Position(chunk: 0, offset: 0) }
    var endPosition: Position { Position(chunk: chunks.count, offset: 0) }

    /// The first position whose key is not `before` it; `before` must hold for a leading run of keys
    /// and for none after it.
    func partitionPoint(_ before: (String) -> Bool) -> Position {
        var low = 0
        var high = chunks.count
        while low < high {
            let middle = (low + high) / 2
            if before(chunks[middle][chunks[middle].count - 1]) { low = middle + 1 } else { high = middle }
        }
        guard low < chunks.count else { return endPosition }
        let chunk = chunks[low]
        var first = 0
        var last = chunk.count
        while first < last {
            let middle = (first + last) / 2
            if before(chunk[middle]) { first = middle + 1 } else { last = middle }
        }
        // The chunk's last key is not `before`, so first < chunk.count.
        return Position(chunk: low, offset: first)
    }

    /// The first position whose key is `key` or after it.
    func lowerBound(_ key: String) -> Position {
        partitionPoint { KeyOrder.precedes($0, key) }
    }

    /// The first position whose key is after `key`.
    func upperBound(_ key: String) -> Position {
        partitionPoint { !KeyOrder.precedes(key, $0) }
    }

    /// The key at `position`, which must not be the end.
    subscript(position: Position) -> String {
        chunks[position.chunk][position.offset]
    }

    func index(after position: Position) -> Position {
        if position.offset + 1 < chunks[position.chunk].count {
            return Position(chunk: position.chunk, offset: position.offset + 1)
        }
        return Position(chunk: position.chunk + 1, offset: 0)
    }

    /// How many keys lie from `start` (included) to `end` (excluded).
    func distance(from start: Position, to end: Position) -> Int {
        guard start < end else { return 0 }
        if start.chunk == end.chunk { return end.offset - start.offset }
        var total = chunks[start.chunk].count - start.offset + end.offset
        for chunk in (start.chunk + 1)..<end.chunk { total += chunks[chunk].count }
        return total
    }

    func contains(_ key: String) -> Bool {
        let position = lowerBound(key)
        return position != endPosition && KeyOrder.compare(self[position], key) == 0
    }

    /// Adds `key`; returns false if it was already present.
    @discardableResult
    mutating func insert(_ key: String) -> Bool {
        guard !chunks.isEmpty else {
            chunks = [[key]]
            count = 1
            return true
        }
        var position = lowerBound(key)
        if position == endPosition {
            position = Position(chunk: chunks.count - 1, offset: chunks[chunks.count - 1].count)
        } else if KeyOrder.compare(self[position], key) == 0 {
            return false
        }
        chunks[position.chunk].insert(key, at: position.offset)
        count += 1
        if chunks[position.chunk].count >= 2 * Self.chunkSize {
            let tail = Array(chunks[position.chunk][Self.chunkSize...])
            chunks[position.chunk].removeSubrange(Self.chunkSize...)
            chunks.insert(tail, at: position.chunk + 1)
        }
        return true
    }

    /// Removes `key`; returns false if it was not present.
    @discardableResult
    mutating func remove(_ key: String) -> Bool {
        let position = lowerBound(key)
        guard position != endPosition, KeyOrder.compare(self[position], key) == 0 else { return false }
        chunks[position.chunk].remove(at: position.offset)
        count -= 1
        if chunks[position.chunk].isEmpty { chunks.remove(at: position.chunk) }
        return true
    }
}
