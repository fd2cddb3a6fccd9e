/// Which encoding a request's objects take: v1 (the internal model, also every API group's) or
/// the seed's v1beta1, by conversion.
public enum APIVersion: String, Sendable {
    case v1
    case v1beta1
}

/// An API group and version: `("", "v1")` is the core group at `/api/v1`, `("events.k8s.io", "v1")`
/// is at `/apis/events.k8s.io/v1`.
public struct GroupVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var group: String
    public var version: String

    public init(_ group: String, _ version: String) {
        self.group = group
        self.version = version
    }

    public static let core = GroupVersion("", "v1")
    public static let v1beta1 = GroupVersion("", "v1beta1")

    /// `v1` or `GROUP/VERSION`, as `apiVersion` and `groupVersion` fields write it.
    public var description: String { group.isEmpty ? version : group + "/" + version }

    /// Only the core group's v1beta1 is the seed's API; every other version is encoded as is.
    public var encoding: APIVersion { self == .v1beta1 ? .v1beta1 : .v1 }

    /// The path its resources are under: `/api/v1`, `/apis/events.k8s.io/v1`.
    public var path: String { group.isEmpty ? "/api/" + version : "/apis/" + description }

    public static func < (a: GroupVersion, b: GroupVersion) -> Bool { (a.group, a.version) < (b.group, b.version) }
}

/// A parsed request path. Parsing is pure so every shape of path is tested without a server.
public enum APIRoute: Equatable, Sendable {
    case healthz
    case version
    /// `/api`: the core group's versions.
    case apiVersions
    /// `/apis`: the named groups.
    case apiGroups
    /// `/apis/{group}`: one group.
    case apiGroup(String)
    /// `/api/v1`, `/api/v1beta1` or `/apis/{group}/{version}`: the resources served there.
    case resourceList(GroupVersion)
    /// `/openapi/v2`: the Swagger 2.0 document of every kind.
    case openAPIV2
    /// `/openapi/v3`: the index of the per-group-version documents.
    case openAPIV3Index
    /// `/openapi/v3/api/v1`, `/openapi/v3/apis/{group}/{version}`.
    case openAPIV3(GroupVersion)
    /// A resource, a named object, or a subresource of one.
    case resource(ResourcePath)

    public static func parse(_ path: String) -> APIRoute? {
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if parts == ["healthz"] || parts == ["healthz", "ping"] || parts == ["livez"] || parts == ["readyz"] {
            return .healthz
        }
        if parts == ["version"] { return .version }
        if parts.first == "openapi" { return openAPI(Array(parts.dropFirst())) }
        let groupVersion: GroupVersion
        switch parts.first {
        case "api":
            parts.removeFirst()
            guard let version = parts.first else { return .apiVersions }
            guard APIVersion(rawValue: version) != nil else { return nil }
            groupVersion = GroupVersion("", version)
            parts.removeFirst()
        case "apis":
            parts.removeFirst()
            guard let group = parts.first else { return .apiGroups }
            guard parts.count >= 2 else { return .apiGroup(group) }
            groupVersion = GroupVersion(group, parts[1])
            parts.removeFirst(2)
        default:
            return nil
        }
        if parts.isEmpty { return .resourceList(groupVersion) }

        var watch = false
        if parts.first == "watch" {
            watch = true
            parts.removeFirst()
        }
        var namespace: String?
        // Namespaced paths: namespaces/{ns}/{resource}...; `namespaces/{ns}` alone is a namespace
        // object, and `namespaces/{ns}/status|finalize` its subresources. v1beta1 has no such paths.
        if groupVersion.encoding == .v1, parts.first == "namespaces", parts.count >= 3,
           !(parts.count == 3 && namespaceSubresources.contains(parts[2]) && groupVersion == .core) {
            namespace = parts[1]
            parts.removeFirst(2)
        }
        guard let resource = parts.first, parts.count <= 3 else { return nil }
        let name = parts.count >= 2 ? parts[1] : nil
        let subresource = parts.count == 3 ? parts[2] : nil
        return .resource(ResourcePath(
            groupVersion: groupVersion, resource: resource, namespace: namespace, name: name,
            subresource: subresource, watchPrefix: watch))
    }

    private static let namespaceSubresources: Set<String> = ["status", "finalize"]

    private static func openAPI(_ parts: [String]) -> APIRoute? {
        switch parts.count {
        case 1 where parts[0] == "v2": return .openAPIV2
        case 1 where parts[0] == "v3": return .openAPIV3Index
        case 3 where parts[0] == "v3" && parts[1] == "api": return .openAPIV3(GroupVersion("", parts[2]))
        case 4 where parts[0] == "v3" && parts[1] == "apis": return .openAPIV3(GroupVersion(parts[2], parts[3]))
        default: return nil
        }
    }
}

/// `/api/{version}[/watch][/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]`, and the same
/// under `/apis/{group}/{version}`.
public struct ResourcePath: Equatable, Sendable {
    public var groupVersion: GroupVersion
    /// As written in the path (`pods`, `replicationControllers`, `minions`, ...).
    public var resource: String
    /// The namespace from the path (v1); v1beta1 takes it from `?namespace=`.
    public var namespace: String?
    public var name: String?
    public var subresource: String?
    /// The path began with `/watch/` (the legacy form of `?watch=true`).
    public var watchPrefix: Bool

    /// The encoding of the objects: the seed's v1beta1 or v1.
    public var version: APIVersion { groupVersion.encoding }

    public init(groupVersion: GroupVersion, resource: String, namespace: String? = nil, name: String? = nil,
                subresource: String? = nil, watchPrefix: Bool = false) {
        self.groupVersion = groupVersion
        self.resource = resource
        self.namespace = namespace
        self.name = name
        self.subresource = subresource
        self.watchPrefix = watchPrefix
    }

    /// A path of the core group (`/api/v1/...` or `/api/v1beta1/...`).
    public init(version: APIVersion, resource: String, namespace: String? = nil, name: String? = nil,
                subresource: String? = nil, watchPrefix: Bool = false) {
        self.init(groupVersion: GroupVersion("", version.rawValue), resource: resource, namespace: namespace,
                  name: name, subresource: subresource, watchPrefix: watchPrefix)
    }
}
