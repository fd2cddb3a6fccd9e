import Foundation
@testable import OrcaStore
import Testing

/// The in-memory ring of recent events that watches start from.
@Suite struct EventHistoryTests {
    private func event(_ revision: Int64, _ key: String) -> StoreEvent {
        let object = StoredObject(key: key, value: Data(), revision: revision, createRevision: revision)
        return StoreEvent(type: .added, object: object)
    }

    @Test func keepsTheNewestEventsUpToItsCapacity() {
        var history = EventHistory(baseRevision: 0, capacity: 3)
        for revision in Int64(1)...3_000 { history.append(event(revision, "/k/\(revision % 2)")) }
        #expect(history.count == 3)
        #expect(history.baseRevision == 2_997)
        #expect(!history.covers(after: 2_996))
        #expect(history.covers(after: 2_997))
        #expect(history.events(after: 2_997, prefix: "/k/").map(\.revision) == [2_998, 2_999, 3_000])
        #expect(history.events(after: 2_998, prefix: "/k/0").map(\.revision) == [3_000])
        #expect(history.events(after: 3_005, prefix: "").isEmpty)
    }

    @Test func compactionDropsTheOldestEvents() {
        var history = EventHistory(baseRevision: 10, capacity: nil)
        for revision in Int64(11)...2_500 { history.append(event(revision, "/k")) }
        history.drop(through: 2_000)
        #expect(history.baseRevision == 2_000)
        #expect(history.events(after: 2_000, prefix: "/").map(\.revision) == Array(2_001...2_500))
        history.drop(through: 3_000)
        #expect(history.count == 0)
        #expect(history.lastRevision == 2_500)
        history.append(event(2_501, "/k"))
        #expect(history.events(after: 2_500, prefix: "").map(\.revision) == [2_501])
    }
}
