import Foundation

/// JSON merge patch (RFC 7386) over JSON-compatible values.
enum MergePatch {
    static func apply(_ patch: Any, to target: Any) -> Any {
        guard let patchObject = patch as? [String: Any] else { return patch }
        var result = target as? [String: Any] ?? [:]
        for (key, value) in patchObject {
            if value is NSNull {
                result.removeValue(forKey: key)
            } else {
                result[key] = apply(value, to: result[key] ?? NSNull())
            }
        }
        return result
    }
}
