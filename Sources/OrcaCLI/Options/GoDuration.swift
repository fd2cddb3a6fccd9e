import Foundation

/// Go's `time.ParseDuration`, for `-u`: `60s`, `1m30s`, `1.5h`, `500ms`, `0`.
public enum GoDuration {
    private static let units: [(String, Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ]

    /// The duration `text` stands for, or nil when it is not a Go duration.
    public static func parse(_ text: String) -> Duration? {
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return .zero }
        guard !rest.isEmpty else { return nil }
        var nanoseconds = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1,
                  let value = Double(number.hasPrefix(".") ? "0" + number : String(number)) else { return nil }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let unit = units.first(where: { $0.0 == unitText }) else { return nil }
            rest = rest.dropFirst(unitText.count)
            nanoseconds += value * unit.1
        }
        guard nanoseconds < 9.2e18 else { return nil }
        let whole = Int64(nanoseconds.rounded())
        return .nanoseconds(negative ? -whole : whole)
    }

    /// Go's spelling of a duration: `1m0s`, `500ms`, `1h30m0s`.
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let nanos = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        if nanos == 0 { return "0s" }
        let sign = nanos < 0 ? "-" : ""
        let n = abs(nanos)
        if n < 1_000 { return "\(sign)\(n)ns" }
        if n < 1_000_000 { return sign + trim(Double(n) / 1e3) + "µs" }
        if n < 1_000_000_000 { return sign + trim(Double(n) / 1e6) + "ms" }
        let hours = n / 3_600_000_000_000
        let minutes = n / 60_000_000_000 % 60
        let secs = Double(n % 60_000_000_000) / 1e9
        var out = sign
        if hours > 0 { out += "\(hours)h" }
        if hours > 0 || minutes > 0 { out += "\(minutes)m" }
        return out + trim(secs) + "s"
    }

    private static func trim(_ value: Double) -> String {
        var text = String(format: "%.9f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
