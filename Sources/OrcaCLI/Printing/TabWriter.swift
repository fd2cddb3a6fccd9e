/// Aligns tab-separated cells into columns as Go's `text/tabwriter` does with the settings the
/// original kubecfg used (`minwidth 10, tabwidth 4, padding 3, padchar ' ', flags 0`).
///
/// Every cell but the last of a line belongs to a column, whose width is the widest of its
/// cells plus the padding, and at least `minWidth`; the last cell of each line is written as is.
public struct TabWriter: Sendable {
    public var minWidth = 10
    public var padding = 3

    public init(minWidth: Int = 10, padding: Int = 3) {
        self.minWidth = minWidth
        self.padding = padding
    }

    /// The lines aligned, each ending in a newline.
    ///
    /// Go's tabwriter aligns a column over a run of consecutive lines that all have it; kubecfg's
    /// tables have the same number of cells on every line, so here the run is the whole table.
    public func format(_ lines: [[String]]) -> String {
        var widths: [Int] = []
        for line in lines {
            for (column, cell) in line.dropLast().enumerated() {
                let width = max(minWidth, Self.width(cell) + padding)
                if column < widths.count {
                    widths[column] = max(widths[column], width)
                } else {
                    widths.append(width)
                }
            }
        }
        var out = ""
        for line in lines {
            for (column, cell) in line.enumerated() {
                out += cell
                if column < line.count - 1 {
                    out += String(repeating: " ", count: widths[column] - Self.width(cell))
                }
            }
            out += "\n"
        }
        return out
    }

    /// Go counts runes (Unicode scalars), not bytes or grapheme clusters.
    static func width(_ text: String) -> Int { text.unicodeScalars.count }
}
