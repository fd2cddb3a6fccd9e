/// A set of minion labels (`key=value` pairs) as bits, so a `nodeSelector` is checked against a
/// minion with two AND instructions instead of dictionary lookups.
///
/// The snapshot numbers the first ``capacity`` distinct pairs it sees on minions; a selector
/// that names a pair without a number falls back to comparing the labels themselves.
public struct LabelMask: Sendable, Equatable {
    public static let capacity = 128

    var low: UInt64 = 0
    var high: UInt64 = 0

    public init() {}

    mutating func insert(_ bit: Int) {
        if bit < 64 { low |= 1 << UInt64(bit) } else { high |= 1 << UInt64(bit - 64) }
    }

    /// Whether every bit of `required` is set here.
    public func contains(_ required: LabelMask) -> Bool {
        low & required.low == required.low && high & required.high == required.high
    }
}

/// A label as the snapshot numbers it.
struct LabelPair: Hashable, Sendable {
    var key: String
    var value: String
}

/// What a `nodeSelector` asks of a minion's ``LabelMask``.
enum RequiredLabels: Sendable {
    /// These bits (no bits: any minion).
    case mask(LabelMask)
    /// A label no minion has.
    case unmatchable
    /// A label without a number: compare the labels.
    case compareLabels
}
