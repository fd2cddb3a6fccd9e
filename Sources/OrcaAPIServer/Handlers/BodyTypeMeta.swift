import OrcaAPI

/// The `apiVersion` and `kind` of a request body, checked against what the path addresses.
enum BodyTypeMeta {
    /// 400 for a body of another kind or version than the path addresses; absent or empty is fine.
    static func check(_ object: [String: Any], apiVersion: [String], kind: String) throws(APIError) {
        if let version = object["apiVersion"] {
            guard let text = version as? String else { throw .badRequest("apiVersion: expected a string") }
            if !text.isEmpty && !apiVersion.contains(text) {
                throw .badRequest(
                    "the API version in the data (\(text)) does not match the expected API version (\(apiVersion[0]))")
            }
        }
        if let value = object["kind"] {
            guard let text = value as? String else { throw .badRequest("kind: expected a string") }
            if !text.isEmpty && text != kind {
                throw .badRequest("the object provided is unrecognized (must be of type \(kind)): kind \"\(text)\"")
            }
        }
    }
}
