import Foundation

/// Puts a `resourceVersion` into the stored encoding of an object, where `JSON.encode` would
/// have written it, so a watch line is made from the bytes the store already holds instead of
/// encoding the object again.
///
/// Stored objects are written by `JSON.encode` (sorted keys, no whitespace) with no
/// `resourceVersion`; reading one back sets it to the revision. Of `ObjectMeta`'s keys only
/// `selfLink` and `uid` sort after `resourceVersion` (by their first letter, whatever the
/// comparison), so the field goes before the first of those in `metadata`, or last.
enum ResourceVersionSplice {
    /// `json` with `"resourceVersion":"<resourceVersion>"` in its top-level `metadata`; nil when
    /// the bytes are not shaped as expected (the caller encodes the object instead).
    static func insert(_ resourceVersion: String, into json: Data) -> Data? {
        guard let at = json.withUnsafeBytes({ insertionPoint(in: $0) }) else { return nil }
        let field = #""resourceVersion":""# + resourceVersion + #"""#
        var out = Data()
        out.reserveCapacity(json.count + field.utf8.count + 1)
        out.append(json[json.startIndex..<(json.startIndex + at.offset)])
        switch at.separator {
        case .before: out.append(contentsOf: ("," + field).utf8)
        case .after: out.append(contentsOf: (field + ",").utf8)
        case .none: out.append(contentsOf: field.utf8)
        }
        out.append(json[(json.startIndex + at.offset)...])
        return out
    }

    private enum Separator { case before, after, none }

    private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
    private static let open = UInt8(ascii: "{"), close = UInt8(ascii: "}")
    private static let openList = UInt8(ascii: "["), closeList = UInt8(ascii: "]")
    private static let colon = UInt8(ascii: ":"), comma = UInt8(ascii: ",")

    private static func insertionPoint(in bytes: UnsafeRawBufferPointer) -> (offset: Int, separator: Separator)? {
        var i = 0
        guard bytes.count > 1, bytes[0] == open else { return nil }
        i = 1
        // Top-level members: find `metadata`.
        while i < bytes.count, bytes[i] != close {
            guard let (key, afterKey) = string(in: bytes, at: i), afterKey < bytes.count, bytes[afterKey] == colon
            else { return nil }
            let value = afterKey + 1
            if key.elementsEqual("metadata".utf8) {
                return metadataInsertionPoint(in: bytes, at: value)
            }
            guard let end = skipValue(in: bytes, at: value), end < bytes.count else { return nil }
            i = bytes[end] == comma ? end + 1 : end
        }
        return nil
    }

    private static func metadataInsertionPoint(in bytes: UnsafeRawBufferPointer, at start: Int)
        -> (offset: Int, separator: Separator)? {
        guard start < bytes.count, bytes[start] == open else { return nil }
        var i = start + 1
        var first = true
        while i < bytes.count {
            if bytes[i] == close { return (i, first ? Separator.none : .before) }
            guard let (key, afterKey) = string(in: bytes, at: i), afterKey < bytes.count, bytes[afterKey] == colon
            else { return nil }
            if key.elementsEqual("resourceVersion".utf8) { return nil }  // already there: not a stored object
            if let initial = key.first, initial > UInt8(ascii: "r") { return (i, .after) }
            guard let end = skipValue(in: bytes, at: afterKey + 1), end < bytes.count else { return nil }
            first = false
            i = bytes[end] == comma ? end + 1 : end
        }
        return nil
    }

    /// The string starting at `i` (its opening quote): its raw bytes and the index after it.
    private static func string(in bytes: UnsafeRawBufferPointer, at i: Int) -> (UnsafeRawBufferPointer.SubSequence, Int)? {
        guard i < bytes.count, bytes[i] == quote else { return nil }
        var j = i + 1
        while j < bytes.count {
            switch bytes[j] {
            case backslash: j += 2
            case quote: return (bytes[(i + 1)..<j], j + 1)
            default: j += 1
            }
        }
        return nil
    }

    /// The index just after the value starting at `i`.
    private static func skipValue(in bytes: UnsafeRawBufferPointer, at i: Int) -> Int? {
        guard i < bytes.count else { return nil }
        switch bytes[i] {
        case quote:
            return string(in: bytes, at: i)?.1
        case open, openList:
            var depth = 0
            var j = i
            while j < bytes.count {
                switch bytes[j] {
                case quote:
                    guard let after = string(in: bytes, at: j)?.1 else { return nil }
                    j = after
                    continue
                case open, openList:
                    depth += 1
                case close, closeList:
                    depth -= 1
                    if depth == 0 { return j + 1 }
                default:
                    break
                }
                j += 1
            }
            return nil
        default:
            var j = i
            while j < bytes.count, bytes[j] != comma, bytes[j] != close, bytes[j] != closeList { j += 1 }
            return j
        }
    }
}
