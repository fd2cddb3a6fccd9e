/// Which of `size` numbered slots are taken: the bookkeeping shared by the service-IP and the
/// pod-CIDR allocators.
struct RangeAllocator: Sendable {
    let size: UInt32
    private var used: Set<UInt32> = []

    init(size: UInt32) {
        self.size = size
    }

    var usedCount: Int { used.count }

    /// A free slot: the first one, or one found from a random starting point.
    mutating func allocate(randomStart: Bool) -> UInt32? {
        guard UInt64(used.count) < UInt64(size) else { return nil }
        let start = randomStart ? UInt32.random(in: 0..<size) : 0
        for step in 0..<size {
            let candidate = (start &+ step) % size
            if used.insert(candidate).inserted { return candidate }
        }
        return nil
    }

    /// Takes a given slot; false when it is taken or out of range.
    mutating func claim(_ index: UInt32) -> Bool {
        index < size && used.insert(index).inserted
    }

    mutating func release(_ index: UInt32) {
        used.remove(index)
    }
}
