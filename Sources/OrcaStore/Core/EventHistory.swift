/// The most recent events, contiguous in revision, kept in memory to start watches without disk reads.
///
/// Holds the events of revisions `baseRevision + 1 ... baseRevision + count`; older events were
/// dropped by compaction or by the capacity bound.
struct EventHistory {
    private var events: [StoreEvent] = []
    private var head = 0
    /// The revision just before the oldest event held.
    private(set) var baseRevision: Int64
    /// The most events to hold; nil keeps everything until compaction.
    let capacity: Int?

    init(baseRevision: Int64, events: [StoreEvent] = [], capacity: Int?) {
        self.baseRevision = baseRevision
        self.capacity = capacity
        self.events = events
        trimToCapacity()
    }

    var count: Int { events.count - head }

    /// The revision of the newest event held, or `baseRevision` when empty.
    var lastRevision: Int64 { baseRevision + Int64(count) }

    /// Appends the event of the next revision.
    mutating func append(_ event: StoreEvent) {
        precondition(event.revision == lastRevision + 1, "history must stay contiguous")
        events.append(event)
        trimToCapacity()
    }

    /// Drops the events of revisions up to `revision`.
    mutating func drop(through revision: Int64) {
        dropFirst(Int(min(max(0, revision - baseRevision), Int64(count))))
    }

    /// Whether every event after `revision` is held.
    func covers(after revision: Int64) -> Bool {
        revision >= baseRevision
    }

    /// The held events after `revision` whose key starts with `prefix`; `covers(after:)` must hold.
    func events(after revision: Int64, prefix: String) -> [StoreEvent] {
        let start = head + Int(min(revision - baseRevision, Int64(count)))
        return events[start...].filter { KeyOrder.hasPrefix($0.object.key, prefix) }
    }

    private mutating func trimToCapacity() {
        if let capacity, count > capacity { dropFirst(count - capacity) }
    }

    private mutating func dropFirst(_ n: Int) {
        guard n > 0 else { return }
        head += n
        baseRevision += Int64(n)
        // Reclaim the dropped prefix once it dominates, keeping appends amortised O(1).
        if head >= 1024 && head * 2 >= events.count {
            events.removeFirst(head)
            head = 0
        } else if head == events.count {
            events.removeAll(keepingCapacity: true)
            head = 0
        }
    }
}
