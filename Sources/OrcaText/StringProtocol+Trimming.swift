extension StringProtocol {
    /// The text without leading and trailing spaces and tabs: what Foundation's
    /// `trimmingCharacters(in: .whitespaces)` returns (Unicode space separators and U+0009).
    package func trimmingWhitespace() -> String { trimming { Self.isWhitespace($0) } }

    /// The text without leading and trailing white space and line ends: what Foundation's
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` returns.
    package func trimmingWhitespaceAndNewlines() -> String {
        trimming { scalar in
            switch scalar.value {
            case 0x0A...0x0D, 0x85: true
            default: Self.isWhitespace(scalar) || [.lineSeparator, .paragraphSeparator].contains(
                scalar.properties.generalCategory)
            }
        }
    }

    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator
    }

    private func trimming(_ trimmed: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !trimmed($0) }),
              let last = scalars.lastIndex(where: { !trimmed($0) }) else { return "" }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[first...last])
        return String(text)
    }
}
