/// Which API a request addresses: v1 (the internal model) or the seed's v1beta1.
public enum APIVersion: String, Sendable {
    case v1
    case v1beta1
}

/// A parsed request path. Parsing is pure so every shape of path is tested without a server.
public enum APIRoute: Equatable, Sendable {
    case healthz
    case version
    /// `/api`: the versions served.
    case apiVersions
    /// `/api/v1` or `/api/v1beta1`: the resources served.
    case resourceList(APIVersion)
    /// A resource, a named object, or a subresource of one.
    case resource(ResourcePath)

    public static func parse(_ path: String) -> APIRoute? {
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if parts == ["healthz"] || parts == ["healthz", "ping"] || parts == ["livez"] || parts == ["readyz"] {
            return .healthz
        }
        if parts == ["version"] { return .version }
        guard parts.first == "api" else { return nil }
        parts.removeFirst()
        guard let versionText = parts.first else { return .apiVersions }
        guard let version = APIVersion(rawValue: versionText) else { return nil }
        parts.removeFirst()
        if parts.isEmpty { return .resourceList(version) }

        var watch = false
        if parts.first == "watch" {
            watch = true
            parts.removeFirst()
        }
        var namespace: String?
        // v1 namespaced paths: namespaces/{ns}/{resource}...; `namespaces/{ns}` alone is a namespace object.
        if version == .v1, parts.first == "namespaces", parts.count >= 3 {
            namespace = parts[1]
            parts.removeFirst(2)
        }
        guard let resource = parts.first, parts.count <= 3 else { return nil }
        let name = parts.count >= 2 ? parts[1] : nil
        let subresource = parts.count == 3 ? parts[2] : nil
        return .resource(ResourcePath(
            version: version, resource: resource, namespace: namespace, name: name,
            subresource: subresource, watchPrefix: watch))
    }
}

/// `/api/{version}[/watch][/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]`.
public struct ResourcePath: Equatable, Sendable {
    public var version: APIVersion
    /// As written in the path (`pods`, `replicationControllers`, `minions`, ...).
    public var resource: String
    /// The namespace from the path (v1); v1beta1 takes it from `?namespace=`.
    public var namespace: String?
    public var name: String?
    public var subresource: String?
    /// The path began with `/watch/` (the legacy form of `?watch=true`).
    public var watchPrefix: Bool

    public init(version: APIVersion, resource: String, namespace: String? = nil, name: String? = nil,
                subresource: String? = nil, watchPrefix: Bool = false) {
        self.version = version
        self.resource = resource
        self.namespace = namespace
        self.name = name
        self.subresource = subresource
        self.watchPrefix = watchPrefix
    }
}
