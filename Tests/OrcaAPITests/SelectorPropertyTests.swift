import Testing
@testable import OrcaAPI
import OrcaTesting


/// Random selectors and label sets over small pools, so that matches and misses both happen often.
struct SelectorGenerator {
    var rng: SplitMix64
    static let keys = ["name", "tier", "env", "app.kubernetes.io/name", "example.com/v", "a_b", "in", "notin", "X"]
    static let values = ["", "jenkins", "db", "prod", "1.0", "a-b_c", "Z9", "in"]

    mutating func key() -> String { Self.keys.randomElement(using: &rng)! }
    mutating func value() -> String { Self.values.randomElement(using: &rng)! }

    mutating func requirement() throws -> LabelSelector.Requirement {
        let op = [LabelSelector.Operator.equals, .notEquals, .in, .notIn, .exists, .doesNotExist]
            .randomElement(using: &rng)!
        let values: [String]
        switch op {
        case .equals, .notEquals: values = [value()]
        case .in, .notIn: values = (0..<Int.random(in: 1...3, using: &rng)).map { _ in value() }
        case .exists, .doesNotExist: values = []
        }
        return try LabelSelector.Requirement(key: key(), operator: op, values: values)
    }

    mutating func selector() throws -> LabelSelector {
        LabelSelector(requirements: try (0..<Int.random(in: 0...4, using: &rng)).map { _ in try requirement() })
    }

    mutating func labels() -> [String: String] {
        var labels: [String: String] = [:]
        for _ in 0..<Int.random(in: 0...4, using: &rng) { labels[key()] = value() }
        return labels
    }

    /// The canonical text with random (legal) whitespace around its tokens, and `=` sometimes written `==`.
    mutating func respaced(_ text: String) -> String {
        let chars = Array(text)
        var out = ""
        for (i, c) in chars.enumerated() {
            let isToken = "=,()!".contains(c) || c == " "
            // `!=` is one token: no whitespace inside it.
            let startsNotEquals = c == "!" && i + 1 < chars.count && chars[i + 1] == "="
            let endsNotEquals = c == "=" && i > 0 && chars[i - 1] == "!"
            if isToken, !endsNotEquals, Bool.random(using: &rng) { out += " " }
            out += c == "=" && !endsNotEquals && Bool.random(using: &rng) ? "==" : String(c)
            if isToken, !startsNotEquals, Bool.random(using: &rng) { out += "\t" }
        }
        return out
    }
}

/// What a selector means, computed independently of `LabelSelector.matches`.
func oracle(_ selector: LabelSelector, _ labels: [String: String]) -> Bool {
    selector.requirements.allSatisfy { r in
        switch r.operator {
        case .equals: labels[r.key] == r.values[0]
        case .notEquals: labels[r.key] != r.values[0]
        case .in: labels[r.key].map { r.values.contains($0) } ?? false
        case .notIn: labels[r.key].map { !r.values.contains($0) } ?? true
        case .exists: labels.keys.contains(r.key)
        case .doesNotExist: !labels.keys.contains(r.key)
        }
    }
}

@Suite struct SelectorPropertyTests {
    @Test(arguments: [1, 42, 2014, 0xDEAD_BEEF] as [UInt64])
    func canonicalTextRoundTripsAndMatchesTheSameLabels(seed: UInt64) throws {
        var gen = SelectorGenerator(rng: SplitMix64(seed: seed))
        var matched = 0
        for _ in 0..<300 {
            let selector = try gen.selector()
            let text = selector.description
            let reparsed = try LabelSelector(parsing: text)
            #expect(reparsed == selector, "seed \(seed): \(text)")
            #expect(reparsed.description == text, "seed \(seed)")
            let respaced = gen.respaced(text)
            #expect(try LabelSelector(parsing: respaced) == selector, "seed \(seed): \(respaced)")
            for _ in 0..<20 {
                let labels = gen.labels()
                let expected = oracle(selector, labels)
                #expect(selector.matches(labels) == expected, "seed \(seed): \(text) on \(labels)")
                #expect(reparsed.matches(labels) == expected, "seed \(seed): \(text) on \(labels)")
                if expected { matched += 1 }
            }
        }
        // The pools are small enough that both outcomes are exercised.
        #expect(matched > 300 && matched < 5700)
    }

    @Test(arguments: [7, 99] as [UInt64])
    func equalityMapsRoundTripThroughText(seed: UInt64) throws {
        var gen = SelectorGenerator(rng: SplitMix64(seed: seed))
        for _ in 0..<300 {
            let labels = gen.labels()
            let text = LabelSelector.format(labels)
            let parsed = try LabelSelector(parsing: text)
            #expect(parsed.equalityMap == labels, "seed \(seed): \(text)")
            #expect(parsed.matches(labels))
        }
    }

    @Test func splitMixIsDeterministic() {
        var a = SplitMix64(seed: 5)
        var b = SplitMix64(seed: 5)
        let first = (0..<4).map { _ in a.next() }
        #expect(first == (0..<4).map { _ in b.next() })
        #expect(Set(first).count == 4)
    }
}
