import OrcaAPI

/// The query parameters the API understands, parsed once and checked, with 400 for bad values.
struct RequestQuery: Sendable {
    var labelSelector: LabelSelector?
    var fieldSelector: FieldSelector?
    var watch = false
    var resourceVersion: String?
    var limit: Int?
    var continueToken: String?
    var timeoutSeconds: Int?
    /// v1beta1 carries the namespace in the query.
    var namespace: String?
    var pretty = false
    /// What each row of a Table carries besides its cells.
    var includeObject = Table.IncludeObject.metadata

    init(_ params: [(String, String)], version: APIVersion) throws(APIError) {
        for (key, value) in params {
            switch key {
            case "labelSelector", "labels":
                if !value.isEmpty { labelSelector = try LabelSelector(parsing: value) }
            case "fieldSelector", "fields":
                if !value.isEmpty { fieldSelector = try FieldSelector(parsing: value) }
            case "watch":
                watch = value.isEmpty || value == "true" || value == "1"
            case "resourceVersion":
                guard value.isEmpty || Int64(value).map({ $0 >= 0 }) == true else {
                    throw .badRequest("resourceVersion: invalid value \"\(value)\": must be a non-negative integer")
                }
                resourceVersion = value.isEmpty ? nil : value
            case "limit":
                guard let n = Int(value), n >= 0 else {
                    throw .badRequest("limit: invalid value \"\(value)\": must be a non-negative integer")
                }
                limit = n == 0 ? nil : n
            case "continue":
                continueToken = value.isEmpty ? nil : value
            case "timeoutSeconds":
                guard let n = Int(value), n >= 0 else {
                    throw .badRequest("timeoutSeconds: invalid value \"\(value)\": must be a non-negative integer")
                }
                timeoutSeconds = n
            case "namespace":
                namespace = value.isEmpty ? nil : value
            case "includeObject":
                guard let value = Table.IncludeObject(rawValue: value) else {
                    throw .badRequest("includeObject: Unsupported value: \"\(value)\": supported values: \"None\", \"Metadata\", \"Object\"")
                }
                includeObject = value
            case "pretty":
                pretty = value == "true" || value == "1"
            default:
                // Unknown parameters are ignored, as Kubernetes does.
                continue
            }
        }
    }
}
