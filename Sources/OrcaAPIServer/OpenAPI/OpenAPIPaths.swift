import OrcaAPI

/// The path items of one resource in an OpenAPI document: its collection, its objects and their
/// subresources, with the operations, query parameters and `x-kubernetes-*` extensions kubectl
/// reads (it looks for `fieldValidation` among a PATCH's parameters to decide whether the server
/// validates fields itself).
struct OpenAPIPaths {
    let info: ResourceInfo
    let names: EndpointSchemaNames
    let writer: OpenAPISchemaWriter

    var items: [String: Any] {
        let base = info.groupVersion.path
        let collection = info.namespaced ? "\(base)/namespaces/{namespace}/\(info.resource)" : "\(base)/\(info.resource)"
        var out: [String: Any] = [:]
        var collectionItem: [String: Any] = [
            "get": operation("list", action: "list", response: names.list, parameters: Self.listParameters),
            "post": operation("create", action: "post", response: names.object, body: names.object,
                              parameters: Self.writeParameters),
            "delete": operation("deletecollection", action: "deletecollection", response: nil,
                                parameters: Self.listParameters + Self.deleteParameters),
        ]
        collectionItem["parameters"] = pathParameters(name: false)
        out[collection] = collectionItem
        if info.namespaced {
            out["\(base)/\(info.resource)"] = [
                "get": operation("list", action: "list", response: names.list, parameters: Self.listParameters,
                                 allNamespaces: true),
            ]
        }
        out[collection + "/{name}"] = [
            "get": operation("read", action: "get", response: names.object, parameters: []),
            "put": operation("replace", action: "put", response: names.object, body: names.object,
                             parameters: Self.writeParameters),
            "patch": operation("patch", action: "patch", response: names.object, patch: true,
                               parameters: Self.writeParameters + [Self.query("force", "boolean")]),
            "delete": operation("delete", action: "delete", response: names.object, parameters: Self.deleteParameters),
            "parameters": pathParameters(name: true),
        ]
        for sub in info.subresources {
            let response = names.subresources[sub.name] ?? names.object
            var item: [String: Any] = ["parameters": pathParameters(name: true)]
            for verb in sub.verbs {
                switch verb {
                case "get": item["get"] = operation("read", action: "get", response: response, parameters: [], sub: sub.name)
                case "update": item["put"] = operation("replace", action: "put", response: response, body: response,
                                                       parameters: Self.writeParameters, sub: sub.name)
                case "patch": item["patch"] = operation("patch", action: "patch", response: response, patch: true,
                                                        parameters: Self.writeParameters, sub: sub.name)
                case "create": item["post"] = operation("create", action: "post", response: response, body: response,
                                                        parameters: Self.writeParameters, sub: sub.name)
                default: continue
                }
            }
            out[collection + "/{name}/" + sub.name] = item
        }
        return out
    }

    // MARK: Operations

    private func operation(_ verb: String, action: String, response: String?, body: String? = nil, patch: Bool = false,
                           parameters: [[String: Any]], allNamespaces: Bool = false, sub: String? = nil) -> [String: Any] {
        let scope = allNamespaces ? "ForAllNamespaces" : (info.namespaced ? "Namespaced" : "")
        let group = info.groupVersion.group.isEmpty ? "Core" : Self.camel(info.groupVersion.group)
        let id = verb + group + Self.camel(info.groupVersion.version) + scope + info.kind + (sub.map(Self.camel) ?? "")
        var out: [String: Any] = [
            "operationId": id,
            "x-kubernetes-action": action,
            "x-kubernetes-group-version-kind": GroupVersionKindRef(info.groupVersion, info.kind).dictionary,
            "tags": [group.lowercased() + "_" + info.groupVersion.version],
        ]
        var params = parameters.map(adapt)
        let responseSchema: [String: Any] = response.map { ["$ref": writer.reference($0)] } ?? ["type": "object"]
        switch writer.dialect {
        case .v2:
            out["consumes"] = patch ? Self.patchTypes : ["*/*"]
            out["produces"] = ["application/json", "application/yaml"]
            if let body {
                params.append(["name": "body", "in": "body", "required": true, "schema": ["$ref": writer.reference(body)]])
            } else if patch {
                params.append(["name": "body", "in": "body", "required": true, "schema": ["type": "object"]])
            }
            out["responses"] = ["200": ["description": "OK", "schema": responseSchema],
                                "401": ["description": "Unauthorized"]]
        case .v3:
            if let body {
                out["requestBody"] = ["content": ["*/*": ["schema": ["$ref": writer.reference(body)]]], "required": true]
            } else if patch {
                var content: [String: Any] = [:]
                for type in Self.patchTypes { content[type] = ["schema": ["type": "object"]] }
                out["requestBody"] = ["content": content, "required": true]
            }
            out["responses"] = [
                "200": ["description": "OK", "content": ["application/json": ["schema": responseSchema]]],
                "401": ["description": "Unauthorized"],
            ]
        }
        if !params.isEmpty { out["parameters"] = params }
        return out
    }

    /// Query parameters are written with both `type` (Swagger 2.0) and `schema` (OpenAPI 3.0);
    /// each dialect keeps its own.
    private func adapt(_ parameter: [String: Any]) -> [String: Any] {
        var out = parameter
        switch writer.dialect {
        case .v2: out["schema"] = nil
        case .v3:
            out["type"] = nil
            out["uniqueItems"] = nil
        }
        return out
    }

    private func pathParameters(name: Bool) -> [[String: Any]] {
        var out: [[String: Any]] = []
        if name { out.append(pathParameter("name", "name of the \(info.kind)")) }
        if info.namespaced { out.append(pathParameter("namespace", "object name and auth scope, such as for teams and projects")) }
        out.append(adapt(Self.query("pretty", "string")))
        return out
    }

    private func pathParameter(_ name: String, _ description: String) -> [String: Any] {
        var out: [String: Any] = ["name": name, "in": "path", "required": true, "description": description]
        switch writer.dialect {
        case .v2: out["type"] = "string"
        case .v3: out["schema"] = ["type": "string"]
        }
        return out
    }

    // MARK: Parameters (both dialects accept `type` beside `schema`; kubectl reads only names)

    static let patchTypes = [
        "application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json",
        "application/strategic-merge-patch+json",
    ]

    static func query(_ name: String, _ type: String) -> [String: Any] {
        ["name": name, "in": "query", "type": type, "schema": ["type": type], "uniqueItems": true]
    }

    static var writeParameters: [[String: Any]] {
        [query("dryRun", "string"), query("fieldManager", "string"), query("fieldValidation", "string")]
    }

    static var listParameters: [[String: Any]] {
        [
            query("allowWatchBookmarks", "boolean"), query("continue", "string"), query("fieldSelector", "string"),
            query("labelSelector", "string"), query("limit", "integer"), query("resourceVersion", "string"),
            query("resourceVersionMatch", "string"), query("sendInitialEvents", "boolean"),
            query("timeoutSeconds", "integer"), query("watch", "boolean"),
        ]
    }

    static var deleteParameters: [[String: Any]] {
        [query("dryRun", "string"), query("gracePeriodSeconds", "integer"), query("propagationPolicy", "string")]
    }

    static func camel(_ text: String) -> String {
        text.split(whereSeparator: { $0 == "." || $0 == "-" }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined()
    }
}
