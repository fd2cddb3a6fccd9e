@testable import OrcaStore
import Testing
import OrcaTesting

/// The ordered key index against a plain sorted array, over seeded random operations.
@Suite struct SortedKeysTests {
    @Test(arguments: [1, 2, 3])
    func matchesASortedArray(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var keys = SortedKeys()
        var model: [String] = []
        for _ in 0..<6_000 {
            let key = "/k/\(random.next() % 2_000)"
            if random.next() % 3 == 0 {
                #expect(keys.remove(key) == model.contains(key))
                model.removeAll { $0 == key }
            } else {
                #expect(keys.insert(key) == !model.contains(key))
                if !model.contains(key) { model.append(key) }
            }
        }
        model.sort(by: KeyOrder.precedes)
        #expect(keys.count == model.count)

        var all: [String] = []
        var position = keys.startPosition
        while position != keys.endPosition {
            all.append(keys[position])
            position = keys.index(after: position)
        }
        #expect(all == model)

        for probe in ["/k/1", "/k/15", "/k/999", "/k/", "/z", ""] {
            let lower = keys.lowerBound(probe)
            let upper = keys.upperBound(probe)
            let before = model.filter { KeyOrder.precedes($0, probe) }.count
            let after = model.filter { KeyOrder.precedes(probe, $0) }.count
            #expect(keys.distance(from: keys.startPosition, to: lower) == before)
            #expect(keys.distance(from: lower, to: upper) == (model.contains(probe) ? 1 : 0))
            #expect(keys.distance(from: upper, to: keys.endPosition) == after)
        }
    }

    @Test func keysOrderByBytes() {
        #expect(KeyOrder.precedes("/registry/pods/", "/registry/pods/a"))
        #expect(KeyOrder.precedes("/registry/pods/z", "/registry/podsx/"))
        #expect(KeyOrder.hasPrefix("/registry/pods/a", "/registry/pods/"))
        #expect(!KeyOrder.hasPrefix("/registry/podsx/a", "/registry/pods/"))
        #expect(KeyOrder.hasPrefix("anything", ""))
        #expect(KeyOrder.precedes("Z", "a"))
        #expect(KeyOrder.precedes("z", "é"))
    }
}

