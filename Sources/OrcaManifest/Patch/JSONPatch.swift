import Foundation
import OrcaAPI

/// An RFC 6902 JSON patch (`application/json-patch+json`): `add`, `remove`, `replace`, `move`,
/// `copy` and `test` operations on JSON pointers (RFC 6901, `~0` and `~1` escapes, `-` to append).
///
/// Behaves as the Kubernetes API server's (evanphx/json-patch v4): a body that is not a list of
/// objects is 400 BadRequest; more than ``maxOperations`` operations is 413; an operation that
/// fails (a `test` mismatch, a missing path, an unknown `op`) is 422 Invalid with the server's
/// generic message, the operation's own message being left out as Kubernetes leaves it out.
/// Like Kubernetes, `replace` of a missing object member adds it, and `add`/`remove` take
/// negative array indices counted from the end. Pure and synchronous; values are not mutated.
public struct JSONPatch {
    /// Kubernetes' `maxJSONPatchOperations`.
    public static let maxOperations = 10_000

    /// One operation as sent: its members are read when it is applied, as evanphx/json-patch does.
    struct Operation {
        var members: [String: Any]

        var op: String { members["op"] as? String ?? "unknown" }
        func pointer(_ name: String) -> String? { members[name] as? String }
        /// A missing `value` is null (evanphx/json-patch adds null rather than failing).
        var value: Any { members["value"] ?? NSNull() }
    }

    /// Why an operation failed, worded as evanphx/json-patch words it (Kubernetes does not send it).
    struct Failure: Error, Equatable {
        var message: String
        init(_ message: String) { self.message = message }
    }

    let operations: [Operation]

    public var count: Int { operations.count }

    /// Parses a patch body. 400 when it is not JSON or not a list of objects; 413 when it has
    /// more than ``maxOperations`` operations.
    public init(data: Data) throws(APIError) {
        let document: Any
        do {
            document = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let ns = error as NSError
            throw .badRequest(ns.userInfo[NSDebugDescriptionErrorKey] as? String ?? ns.localizedDescription)
        }
        try self.init(document: document)
    }

    /// Takes an already parsed patch document (`[Any]` of `[String: Any]`; JSON null is no operations).
    public init(document: Any) throws(APIError) {
        if JSONValue.kind(document) == .null {
            operations = []
            return
        }
        guard let list = document as? [Any] else {
            throw .badRequest(
                "json: cannot unmarshal \(Self.goJSONType(document)) into Go value of type jsonpatch.Patch")
        }
        var operations: [Operation] = []
        operations.reserveCapacity(min(list.count, Self.maxOperations + 1))
        for item in list {
            switch JSONValue.kind(item) {
            case .null: operations.append(Operation(members: [:]))
            case .object: operations.append(Operation(members: item as! [String: Any]))
            default:
                throw .badRequest(
                    "json: cannot unmarshal \(Self.goJSONType(item)) into Go value of type jsonpatch.Operation")
            }
        }
        guard operations.count <= Self.maxOperations else {
            throw APIError(.tooLarge, "Request entity too large: The allowed maximum operations in a JSON patch is "
                + "\(Self.maxOperations), got \(operations.count)")
        }
        self.operations = operations
    }

    /// Applies the operations in order to `document`; all or nothing.
    public func apply(to document: [String: Any]) throws(APIError) -> [String: Any] {
        do {
            return try applyOperations(to: document) as? [String: Any] ?? [:]
        } catch {
            throw APIError(.invalid, "the server rejected our request due to an error in our request",
                           details: StatusDetails())
        }
    }

    /// Parses `data` and applies it to `document` (``init(data:)`` then ``apply(to:)``).
    public static func apply(_ data: Data, to document: [String: Any]) throws(APIError) -> [String: Any] {
        try JSONPatch(data: data).apply(to: document)
    }

    func applyOperations(to document: Any) throws(Failure) -> Any {
        var doc = document
        for operation in operations {
            doc = try Self.apply(operation, to: doc)
        }
        return doc
    }

    private static func apply(_ operation: Operation, to doc: Any) throws(Failure) -> Any {
        let op = operation.op
        switch op {
        case "add":
            let path = try pointer(operation, "path", "\(op) operation failed to decode path: missing value")
            return try add(operation.value, at: path, in: doc, missing: missingPath(op, path))
        case "remove":
            let path = try pointer(operation, "path", "\(op) operation failed to decode path: missing value")
            return try remove(at: path, in: doc, missing: missingPath(op, path))
        case "replace":
            let path = try pointer(operation, "path", "\(op) operation failed to decode path: " + noPath)
            let missing = "replace operation does not apply: doc is missing path: \(path): missing value"
            return try modifyParent(of: path, in: doc, missing: missing) { container, key throws(Failure) in
                switch container {
                case .object(var object):
                    object[key] = operation.value
                    return object
                case .array(var array):
                    guard let index = index(key), index >= 0, index < array.count else {
                        throw Failure("replace operation does not apply: doc is missing key: \(path): missing value")
                    }
                    array[index] = operation.value
                    return array
                }
            }
        case "move", "copy":
            let from = try pointer(operation, "from", "\(op) operation failed to decode from: " + noFrom)
            let missingFrom = "\(op) operation does not apply: doc is missing from path: \(from): missing value"
            guard let value = try get(at: from, in: doc, missing: missingFrom) else {
                throw Failure("error in \(op) for path: '\(from)': missing value")
            }
            let source = op == "move" ? try remove(at: from, in: doc, missing: missingFrom) : doc
            let path = try pointer(operation, "path", "\(op) operation failed to decode path: " + noPath)
            let missing = "\(op) operation does not apply: doc is missing destination path: \(path): missing value"
            return try add(value, at: path, in: source, missing: missing)
        case "test":
            let path = try pointer(operation, "path", "test operation failed to decode path: " + noPath)
            let missing = "test operation does not apply: is missing path: \(path): missing value"
            let actual = try get(at: path, in: doc, missing: missing)
            // A missing member tests equal to null, as in evanphx/json-patch.
            if JSONValue.equal(actual ?? NSNull(), operation.value) { return doc }
            throw Failure("testing value \(path) failed: test failed")
        default:
            throw Failure("Unexpected kind: \(op)")
        }
    }

    private static let noPath = "operation missing path field: missing value"
    private static let noFrom = "operation, missing from field: missing value"

    private static func missingPath(_ op: String, _ path: String) -> String {
        "\(op) operation does not apply: doc is missing path: \"\(path)\": missing value"
    }

    private static func pointer(_ operation: Operation, _ name: String, _ failure: String) throws(Failure) -> String {
        guard let pointer = operation.pointer(name) else { throw Failure(failure) }
        return pointer
    }

    // MARK: Pointers

    /// The reference tokens of a pointer, unescaped (`~1` to `/`, then `~0` to `~`). Nil when the
    /// pointer is the whole document or does not start with `/`.
    static func tokens(_ pointer: String) -> [String]? {
        guard pointer.hasPrefix("/") else { return nil }
        return pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    /// An array index as Go's `strconv.Atoi` reads it (`+1`, `-1`, `007`).
    private static func index(_ token: String) -> Int? {
        guard let first = token.first, first.isNumber || ((first == "-" || first == "+") && token.count > 1) else {
            return nil
        }
        guard token.dropFirst().allSatisfy(\.isNumber) else { return nil }
        return Int(token)
    }

    enum Container {
        case object([String: Any])
        case array([Any])

        init?(_ value: Any) {
            switch JSONValue.kind(value) {
            case .object: self = .object(value as! [String: Any])
            case .array: self = .array(value as! [Any])
            default: return nil
            }
        }
    }

    /// Rebuilds `doc` with the container holding the pointer's last token replaced by `change`.
    private static func modifyParent(
        of pointer: String, in doc: Any, missing: String,
        _ change: (Container, String) throws(Failure) -> Any
    ) throws(Failure) -> Any {
        guard let tokens = tokens(pointer), let key = tokens.last else { throw Failure(missing) }
        return try descend(doc, tokens.dropLast(), missing: missing) { value throws(Failure) in
            guard let container = Container(value) else { throw Failure(missing) }
            return try change(container, key)
        }
    }

    private static func descend(
        _ value: Any, _ parents: ArraySlice<String>, missing: String, _ change: (Any) throws(Failure) -> Any
    ) throws(Failure) -> Any {
        guard let token = parents.first else { return try change(value) }
        let rest = parents.dropFirst()
        switch Container(value) {
        case .object(var object)?:
            guard let child = object[token], JSONValue.kind(child) != .null else { throw Failure(missing) }
            object[token] = try descend(child, rest, missing: missing, change)
            return object
        case .array(var array)?:
            guard let i = index(token), i >= 0, i < array.count else { throw Failure(missing) }
            array[i] = try descend(array[i], rest, missing: missing, change)
            return array
        case nil:
            throw Failure(missing)
        }
    }

    private static func add(_ value: Any, at pointer: String, in doc: Any, missing: String) throws(Failure) -> Any {
        try modifyParent(of: pointer, in: doc, missing: missing) { container, key throws(Failure) in
            switch container {
            case .object(var object):
                object[key] = value
                return object
            case .array(var array):
                if key == "-" {
                    array.append(value)
                    return array
                }
                guard var i = index(key) else {
                    throw Failure("error in add for path: '\(pointer)': value was not a proper array index: '\(key)'")
                }
                let size = array.count + 1
                if i < 0 && i >= -size { i += size }
                guard i >= 0, i < size else {
                    throw Failure("error in add for path: '\(pointer)': " + invalidIndex(i))
                }
                array.insert(value, at: i)
                return array
            }
        }
    }

    private static func remove(at pointer: String, in doc: Any, missing: String) throws(Failure) -> Any {
        try modifyParent(of: pointer, in: doc, missing: missing) { container, key throws(Failure) in
            switch container {
            case .object(var object):
                guard object.removeValue(forKey: key) != nil else {
                    throw Failure("error in remove for path: '\(pointer)': "
                        + "Unable to remove nonexistent key: \(key): missing value")
                }
                return object
            case .array(var array):
                guard var i = index(key) else {
                    throw Failure("error in remove for path: '\(pointer)': strconv.Atoi: parsing "
                        + "\(JSONValue.goQuote(key)): invalid syntax")
                }
                if i < 0 && i >= -array.count { i += array.count }
                guard i >= 0, i < array.count else {
                    throw Failure("error in remove for path: '\(pointer)': " + invalidIndex(i))
                }
                array.remove(at: i)
                return array
            }
        }
    }

    private static func invalidIndex(_ index: Int) -> String {
        "Unable to access invalid index: \(index): invalid index referenced"
    }

    /// The value at `pointer`; nil for a missing object member (a missing container or array
    /// element throws).
    private static func get(at pointer: String, in doc: Any, missing: String) throws(Failure) -> Any? {
        guard let tokens = tokens(pointer), let key = tokens.last else { throw Failure(missing) }
        var found: Any?
        _ = try descend(doc, tokens.dropLast(), missing: missing) { value throws(Failure) in
            switch Container(value) {
            case .object(let object)?:
                found = object[key]
            case .array(let array)?:
                guard let i = index(key), i >= 0, i < array.count else {
                    throw Failure(invalidIndex(index(key) ?? 0))
                }
                found = array[i]
            case nil:
                throw Failure(missing)
            }
            return value
        }
        return found
    }

    /// The JSON type name Go's decoder uses in its errors.
    private static func goJSONType(_ value: Any) -> String {
        switch JSONValue.kind(value) {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .bool: "bool"
        case .int, .double: "number"
        case .null: "null"
        }
    }
}
