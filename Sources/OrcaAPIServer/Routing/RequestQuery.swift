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
    /// `dryRun=All`: the write is checked (defaulting, admission, validation) and answered, never stored.
    var dryRun = false
    /// `propagationPolicy` of a delete: `Orphan`, `Background` or `Foreground`.
    var propagationPolicy: String?
    var gracePeriodSeconds: Int?
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
            case "dryRun":
                guard value.isEmpty || value == "All" else {
                    throw .badRequest("dryRun: Unsupported value: \"\(value)\": supported values: \"All\"")
                }
                dryRun = value == "All"
            case "propagationPolicy":
                propagationPolicy = try Self.propagationPolicy(value)
            case "gracePeriodSeconds":
                guard let n = Int(value) else {
                    throw .badRequest("gracePeriodSeconds: invalid value \"\(value)\": must be an integer")
                }
                gracePeriodSeconds = n
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

    static func propagationPolicy(_ value: String) throws(APIError) -> String {
        guard ["Orphan", "Background", "Foreground"].contains(value) else {
            throw APIError.invalid(kind: "DeleteOptions", name: "", [
                .notSupported("propagationPolicy", value, ["Foreground", "Background", "Orphan"]),
            ])
        }
        return value
    }

    /// Adds what a DELETE's body (`DeleteOptions`) says; the body wins over the query, as in Kubernetes.
    mutating func addDeleteOptions(_ body: [String: Any]) throws(APIError) {
        if let policy = body["propagationPolicy"] {
            guard let text = policy as? String else { throw .badRequest("propagationPolicy: expected a string") }
            propagationPolicy = try Self.propagationPolicy(text)
        }
        if let grace = body["gracePeriodSeconds"] {
            guard let n = grace as? Int else { throw .badRequest("gracePeriodSeconds: expected an integer") }
            gracePeriodSeconds = n
        }
        if let dry = body["dryRun"] {
            guard let list = dry as? [String], list.allSatisfy({ $0 == "All" }) else {
                throw .badRequest("dryRun: Unsupported value: supported values: \"All\"")
            }
            dryRun = dryRun || !list.isEmpty
        }
    }
}
