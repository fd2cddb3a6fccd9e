/// Sizes as people read them, in the words of Foundation's
/// `ByteCountFormatter.string(fromByteCount:countStyle: .binary)` ("Zero KB", "512 bytes",
/// "1,024 KB", "1.9 MB", "4.09 TB"), which FoundationEssentials lacks: `orca image list` and the
/// kubelet's image prune report print them.
public enum ByteCount {
    public static func string(_ bytes: Int64) -> String {
        if bytes == 0 { return "Zero KB" }
        let magnitude = bytes.magnitude
        let sign = bytes < 0 ? "-" : ""
        if magnitude < 1024 { return sign + grouped(magnitude) + (magnitude == 1 ? " byte" : " bytes") }
        // KB whole, MB to one decimal, larger units to two; trailing zeros dropped.
        let units: [(name: String, decimals: Int)] = [("KB", 0), ("MB", 1), ("GB", 2), ("TB", 2), ("PB", 2), ("EB", 2)]
        var unit = 0
        var divisor: Double = 1024
        while unit < units.count - 1, Double(magnitude) >= divisor * 1024 {
            unit += 1
            divisor *= 1024
        }
        let scale = [1, 10, 100][units[unit].decimals]
        let scaled = UInt64((Double(magnitude) / divisor * Double(scale)).rounded())
        var text = grouped(scaled / UInt64(scale))
        if scale > 1, scaled % UInt64(scale) != 0 {
            var fraction = String(scaled % UInt64(scale))
            fraction = String(repeating: "0", count: units[unit].decimals - fraction.count) + fraction
            while fraction.last == "0" { fraction.removeLast() }
            text += "." + fraction
        }
        return sign + text + " " + units[unit].name
    }

    /// `1,234,567`.
    private static func grouped(_ value: UInt64) -> String {
        var digits = Array(String(value))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: index)
            index -= 3
        }
        return String(digits)
    }
}
