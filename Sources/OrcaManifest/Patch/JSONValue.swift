import Foundation

/// Untyped JSON values as JSONSerialization gives them (`[String: Any]`, `[Any]`, `String`, `NSNumber`,
/// `NSNull`) or as Swift code builds them (`Int`, `Double`, `Bool`): their kind, equality, and the
/// text Go's `fmt` and `encoding/json` would print for them, so that the patch engines word their
/// errors and field paths as the Kubernetes API server does.
enum JSONValue {
    enum Kind: Equatable {
        case null, bool, int, double, string, array, object
    }

    static func kind(_ value: Any) -> Kind {
        switch value {
        case is NSNull: .null
        case is String: .string
        case let number as NSNumber: numberKind(number)
        case is Bool: .bool
        case is Int, is Int64, is Int32: .int
        case is Double, is Float: .double
        case is [String: Any]: .object
        case is [Any]: .array
        default: .null
        }
    }

    /// JSONSerialization's booleans are NSNumbers whose `objCType` is `c` (a char).
    private static func numberKind(_ number: NSNumber) -> Kind {
        switch String(cString: number.objCType) {
        case "c", "B": .bool
        case "d", "f": .double
        case "Q" where number.uint64Value > UInt64(Int64.max): .double
        default: .int
        }
    }

    static func bool(_ value: Any) -> Bool? {
        kind(value) == .bool ? (value as? Bool) ?? (value as? NSNumber)?.boolValue : nil
    }

    static func int(_ value: Any) -> Int64? {
        guard kind(value) == .int else { return nil }
        if let number = value as? NSNumber { return number.int64Value }
        if let i = value as? Int { return Int64(i) }
        if let i = value as? Int64 { return i }
        if let i = value as? Int32 { return Int64(i) }
        return nil
    }

    static func double(_ value: Any) -> Double? {
        switch kind(value) {
        case .double: (value as? NSNumber)?.doubleValue ?? (value as? Double) ?? (value as? Float).map(Double.init)
        case .int: int(value).map(Double.init)
        default: nil
        }
    }

    /// JSON equality: numbers compare by value (`1` equals `1.0`), objects by members, arrays in order.
    static func equal(_ lhs: Any, _ rhs: Any) -> Bool {
        let (l, r) = (kind(lhs), kind(rhs))
        switch (l, r) {
        case (.null, .null): return true
        case (.bool, .bool): return bool(lhs) == bool(rhs)
        case (.int, .int): return int(lhs) == int(rhs)
        case (.int, .double), (.double, .int), (.double, .double): return double(lhs) == double(rhs)
        case (.string, .string): return lhs as? String == rhs as? String
        case (.array, .array):
            guard let a = lhs as? [Any], let b = rhs as? [Any], a.count == b.count else { return false }
            return zip(a, b).allSatisfy { equal($0, $1) }
        case (.object, .object):
            guard let a = lhs as? [String: Any], let b = rhs as? [String: Any], a.count == b.count else { return false }
            return a.allSatisfy { key, value in b[key].map { equal(value, $0) } ?? false }
        default: return false
        }
    }

    /// Equality as Go's `==` on decoded `interface{}` values: an int64 never equals a float64.
    static func goEqual(_ lhs: Any, _ rhs: Any) -> Bool {
        let (l, r) = (kind(lhs), kind(rhs))
        guard l == r, l != .array, l != .object else { return false }
        return equal(lhs, rhs)
    }

    /// Go's `reflect.TypeOf(v).String()` for a value decoded by Kubernetes' JSON decoder.
    static func goType(_ value: Any?) -> String {
        guard let value else { return "%!s(<nil>)" }
        switch kind(value) {
        case .null: return "%!s(<nil>)"
        case .bool: return "bool"
        case .int: return "int64"
        case .double: return "float64"
        case .string: return "string"
        case .array: return "[]interface {}"
        case .object: return "map[string]interface {}"
        }
    }

    /// Go's `fmt` `%v`: `map[a:1 b:[x y]]` with sorted keys, `<nil>` for null.
    static func goDescription(_ value: Any?) -> String {
        guard let value else { return "<nil>" }
        switch kind(value) {
        case .null: return "<nil>"
        case .bool: return bool(value)! ? "true" : "false"
        case .int: return String(int(value)!)
        case .double: return goFloat(double(value)!)
        case .string: return value as! String
        case .array: return "[" + (value as! [Any]).map { goDescription($0) }.joined(separator: " ") + "]"
        case .object:
            let object = value as! [String: Any]
            let members = object.keys.sorted().map { "\($0):\(goDescription(object[$0]))" }
            return "map[" + members.joined(separator: " ") + "]"
        }
    }

    /// Go's `%s` of a value: strings as they are, anything else as `%!s(type=value)`.
    static func goString(_ value: Any?) -> String {
        guard let value, kind(value) != .null else { return "%!s(<nil>)" }
        switch kind(value) {
        case .string, .array, .object: return goDescription(value)
        default: return "%!s(\(goType(value))=\(goDescription(value)))"
        }
    }

    /// Go's `%v` of a float64 (`strconv` 'g' with the shortest digits: `1.5`, `1e+06`, `1e-05`).
    static func goFloat(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-Inf" : "+Inf") }
        let (negative, digits, exponent) = decimalDigits(value)
        let sign = negative ? "-" : ""
        if exponent < -4 || exponent >= max(digits.count, 6) {
            var mantissa = String(digits.prefix(1))
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let e = abs(exponent)
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (e < 10 ? "0" : "") + String(e)
        }
        return sign + plainDecimal(digits, exponent)
    }

    /// Go's `encoding/json` text of a float64: plain decimals between 1e-6 and 1e21, else `1e-7`.
    static func jsonFloat(_ value: Double) -> String {
        let (negative, digits, exponent) = decimalDigits(value)
        let sign = negative ? "-" : ""
        let magnitude = abs(value)
        if magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21) {
            var mantissa = String(digits.prefix(1))
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String(abs(exponent))
        }
        return sign + plainDecimal(digits, exponent)
    }

    private static func plainDecimal(_ digits: String, _ exponent: Int) -> String {
        if exponent < 0 { return "0." + String(repeating: "0", count: -exponent - 1) + digits }
        if exponent + 1 >= digits.count { return digits + String(repeating: "0", count: exponent + 1 - digits.count) }
        let split = digits.index(digits.startIndex, offsetBy: exponent + 1)
        return String(digits[..<split]) + "." + String(digits[split...])
    }

    /// The shortest round-tripping digits of `value` (Swift's own) and the exponent of the first one.
    private static func decimalDigits(_ value: Double) -> (negative: Bool, digits: String, exponent: Int) {
        if value == 0 { return (value.sign == .minus, "0", 0) }
        var text = "\(abs(value))"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integer = String(parts[0])
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = integer + fraction
        exponent += integer.count - 1
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            exponent -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (value < 0, digits, exponent)
    }

    /// Go's `strconv.Quote`: `"web"`, with `\"`, `\\`, `\n` and `\u2028` escapes.
    static func goQuote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value >= 0x80 && !isPrintable(scalar) {
                    let wide = scalar.value > 0xFFFF
                    out += (wide ? "\\U" : "\\u") + hex(scalar.value, width: wide ? 8 : 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
            false
        case .spaceSeparator: scalar == " "
        default: true
        }
    }

    /// A JSON string as Go's `encoding/json` writes it (HTML-escaped: `<` is `\u003c`).
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}": out += "\\u" + hex(scalar.value, width: 4)
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + hex(scalar.value, width: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// A deep copy with every null member of an object dropped, as decoding into a typed object
    /// drops them.
    static func droppingNulls(_ value: Any) -> Any {
        switch kind(value) {
        case .object:
            var out: [String: Any] = [:]
            for (key, member) in value as! [String: Any] where kind(member) != .null {
                out[key] = droppingNulls(member)
            }
            return out
        case .array:
            return (value as! [Any]).map(droppingNulls)
        default:
            return value
        }
    }
}
