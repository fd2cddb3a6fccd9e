import Foundation
import OrcaAPI

/// Applies a strategic merge patch (`application/strategic-merge-patch+json`) to an object, the
/// way Kubernetes' API server does (apimachinery's `strategicpatch.StrategicMergeMapPatch`), with
/// the kind's schema standing in for Go's struct tags.
///
/// Maps merge recursively and `null` deletes a member. A list whose field has patch strategy
/// `merge` merges: lists of objects by their `patchMergeKey`, lists of scalars as sets; other
/// lists are replaced. The directives are Kubernetes': `$patch: replace|delete` in a map,
/// `$patch: replace|delete` in a merging list's element, `$retainKeys`, `$setElementOrder/<field>`
/// and `$deleteFromPrimitiveList/<field>`. Without `$setElementOrder`, elements the patch adds to
/// a merging list come before the live elements that follow them, as in Kubernetes. Members the
/// schema does not declare merge as a JSON merge patch (RFC 7386).
///
/// Errors are worded and coded as Kubernetes': 400 for a malformed directive
/// (`invalid patch format of retainKeys`), 422 for lists of lists, and a 500 carrying the patch
/// library's own message for the rest (`map: map[image:nginx] does not contain declared merge key:
/// name`). Pure and synchronous; the inputs are not mutated.
public enum StrategicMergePatch {
    /// Parses `patch` (JSON; `null` is an empty patch) and applies it to `original`.
    public static func apply(
        _ patch: Data, to original: [String: Any], schema: SchemaSet, root: String
    ) throws(APIError) -> [String: Any] {
        let document: Any
        do {
            document = try JSONSerialization.jsonObject(with: patch, options: [.fragmentsAllowed])
        } catch {
            let ns = error as NSError
            throw .badRequest(ns.userInfo[NSDebugDescriptionErrorKey] as? String ?? ns.localizedDescription)
        }
        switch JSONValue.kind(document) {
        case .null:
            return original
        case .object:
            return try apply(document as! [String: Any], to: original, schema: schema, root: root)
        default:
            let type = JSONValue.kind(document) == .array ? "array" : "value"
            throw .badRequest("json: cannot unmarshal \(type) into Go value of type map[string]interface {}")
        }
    }

    /// Applies a parsed patch to `original`; `root` is the kind's definition name in `schema`.
    public static func apply(
        _ patch: [String: Any], to original: [String: Any], schema: SchemaSet, root: String
    ) throws(APIError) -> [String: Any] {
        do {
            return try mergeMap(original, patch, SchemaNode.root(schema, root))
        } catch {
            throw error.apiError
        }
    }

    /// A failure of the patch library, classified as the API server's `interpretStrategicMergePatchError`.
    enum Failure: Error {
        /// One of mergepatch's format errors: 400 with its message.
        case badRequest(String)
        /// Lists of lists: 422 with the server's generic message.
        case unprocessable
        /// Any other error: the server sends it as a 500 with no reason.
        case other(String)

        var apiError: APIError {
            switch self {
            case .badRequest(let message):
                APIError.badRequest(message)
            case .unprocessable:
                APIError(.invalid, "the server rejected our request due to an error in our request",
                         details: StatusDetails())
            case .other(let message):
                APIError(.unknown, message, code: 500)
            }
        }

        static let badRetainKeys = Failure.badRequest("invalid patch format of retainKeys")
        static let badPrimitiveList = Failure.badRequest("invalid patch format of primitive list")
        static let badSetElementOrder = Failure.badRequest("invalid patch format of setElementOrder list")

        static func noMergeKey(_ map: [String: Any], _ key: String) -> Failure {
            .other("map: \(JSONValue.goDescription(map)) does not contain declared merge key: \(key)")
        }

        static func badArgType(expected: String, _ actual: Any?) -> Failure {
            .other("expected a \(expected), but received a \(JSONValue.goType(actual))")
        }

        static func badPatchType(_ directive: Any?, _ map: [String: Any]) -> Failure {
            .other("unknown patch type: \(JSONValue.goString(directive)) in map: \(JSONValue.goDescription(map))")
        }
    }

    static let directiveMarker = "$patch"
    static let retainKeysDirective = "$retainKeys"
    static let deleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList"
    static let setElementOrderPrefix = "$setElementOrder"
    static let mapType = "map[string]interface {}"
    static let sliceType = "[]interface {}"

    // MARK: Maps

    static func mergeMap(
        _ original: [String: Any]?, _ patch: [String: Any], _ node: SchemaNode
    ) throws(Failure) -> [String: Any] {
        var patch = patch
        if let directive = patch[directiveMarker] {
            switch directive as? String {
            case "replace":
                patch.removeValue(forKey: directiveMarker)
                return cleaned(patch) as! [String: Any]
            case "delete":
                return [:]
            default:
                throw .badPatchType(directive, patch)
            }
        }
        var original = original ?? [:]
        try applyRetainKeys(&original, &patch)
        try mergeElementOrders(&original, &patch, node)

        for key in patch.keys.sorted() {
            let patchValue = patch[key]!
            var field = key
            var isDeleteList = false
            if key.hasPrefix(deleteFromPrimitiveListPrefix) {
                field = try extractKey(key, prefix: deleteFromPrimitiveListPrefix)
                isDeleteList = true
            }
            if JSONValue.kind(patchValue) == .null {
                original.removeValue(forKey: field)
                continue
            }
            let child = node.member(field)
            guard let originalValue = original[field] else {
                // Deleting from a list that is not there changes nothing (Kubernetes would set the
                // list to the deletions).
                if !isDeleteList { original[field] = try fresh(patchValue, child) }
                continue
            }
            guard JSONValue.goType(originalValue) == JSONValue.goType(patchValue) else {
                original[field] = try fresh(patchValue, child)
                continue
            }
            let strategy = child.patchStrategy.strategy
            switch JSONValue.kind(originalValue) {
            case .object:
                original[field] = strategy == "replace"
                    ? cleaned(patchValue)
                    : try mergeMap(originalValue as? [String: Any], patchValue as! [String: Any], child)
            case .array:
                original[field] = strategy == "merge"
                    ? try mergeSlice(originalValue as! [Any], patchValue as! [Any], child,
                                     isDeleteList: isDeleteList)
                    : cleaned(patchValue)
            default:
                original[field] = patchValue
            }
        }
        return original
    }

    /// A patch value for a member the original lacks: merged into nothing, so that its directives
    /// apply (and do not reach the stored object) and its nulls are dropped.
    static func fresh(_ value: Any, _ node: SchemaNode) throws(Failure) -> Any {
        switch JSONValue.kind(value) {
        case .object:
            return try mergeMap(nil, value as! [String: Any], node)
        case .array where node.patchStrategy.strategy == "merge":
            return try mergeSlice([], value as! [Any], node, isDeleteList: false)
        default:
            return cleaned(value)
        }
    }

    /// `value` without directives or null members (what decoding into a typed object keeps).
    static func cleaned(_ value: Any) -> Any {
        switch JSONValue.kind(value) {
        case .object:
            var out: [String: Any] = [:]
            for (key, member) in value as! [String: Any]
            where !isDirective(key) && JSONValue.kind(member) != .null {
                out[key] = cleaned(member)
            }
            return out
        case .array:
            return (value as! [Any]).map(cleaned)
        default:
            return value
        }
    }

    static func isDirective(_ key: String) -> Bool {
        key == directiveMarker || key == retainKeysDirective
            || key.hasPrefix(setElementOrderPrefix + "/") || key.hasPrefix(deleteFromPrimitiveListPrefix + "/")
    }

    /// `$retainKeys`: clears the original's members missing from the list, after checking that
    /// the patch sets no member outside it.
    static func applyRetainKeys(_ original: inout [String: Any], _ patch: inout [String: Any]) throws(Failure) {
        guard let retain = patch.removeValue(forKey: retainKeysDirective) else { return }
        guard let list = retain as? [Any] else { throw .badRetainKeys }
        let keys = Set(list.compactMap { $0 as? String })
        for (key, value) in patch {
            if JSONValue.kind(value) == .null || key.hasPrefix(deleteFromPrimitiveListPrefix)
                || key.hasPrefix(setElementOrderPrefix) {
                continue
            }
            guard keys.contains(key) else { throw .badRetainKeys }
        }
        for key in original.keys where !keys.contains(key) {
            original.removeValue(forKey: key)
        }
    }

    /// The field a `$setElementOrder/<field>` or `$deleteFromPrimitiveList/<field>` key names.
    static func extractKey(_ key: String, prefix: String) throws(Failure) -> String {
        guard let slash = key.firstIndex(of: "/"), key[..<slash] == prefix else {
            throw prefix == setElementOrderPrefix ? .badSetElementOrder : .badPrimitiveList
        }
        return String(key[key.index(after: slash)...])
    }
}
