import OrcaAPI

/// `/version`: what kubectl and kubecfg ask first.
struct VersionInfo: Codable, Sendable {
    var major: String
    var minor: String
    var gitVersion: String
    var gitCommit: String
    var gitTreeState: String
    var buildDate: String
    var goVersion: String
    var compiler: String
    var platform: String

    static let current = VersionInfo(
        major: "1", minor: "0", gitVersion: "v\(OrcaVersion.string)", gitCommit: "", gitTreeState: "clean",
        buildDate: "", goVersion: "swift", compiler: "swiftc", platform: "linux/amd64")
}

/// The Orca release, reported by `/version` and `orca --version`.
public enum OrcaVersion {
    public static let string = "0.1.0"
}

/// `/api` and `/api/{version}` discovery documents.
enum Discovery {
    struct APIVersions: Codable, Sendable {
        var kind = "APIVersions"
        var versions: [String]
        var serverAddressByClientCIDRs: [ServerAddress] = []
    }

    struct ServerAddress: Codable, Sendable {
        var clientCIDR: String
        var serverAddress: String
    }

    struct APIResourceList: Codable, Sendable {
        var kind = "APIResourceList"
        var groupVersion: String
        var resources: [APIResource]
    }

    struct APIResource: Codable, Sendable {
        var name: String
        var singularName: String
        var namespaced: Bool
        var kind: String
        var verbs: [String]
        var shortNames: [String]?
    }

    static let versions = APIVersions(versions: ["v1", "v1beta1"])

    static func resources(_ endpoints: [any ResourceEndpoint], version: APIVersion) -> APIResourceList {
        var out: [APIResource] = []
        let verbs = ["create", "delete", "get", "list", "patch", "update", "watch"]
        for endpoint in endpoints {
            switch version {
            case .v1:
                out.append(APIResource(
                    name: endpoint.resource, singularName: endpoint.kind.lowercased(),
                    namespaced: endpoint.namespaced, kind: endpoint.kind, verbs: verbs,
                    shortNames: shortNames[endpoint.resource]))
            case .v1beta1:
                if let beta = endpoint.v1beta1Resource {
                    out.append(APIResource(
                        name: beta, singularName: "", namespaced: endpoint.namespaced, kind: endpoint.kind,
                        verbs: verbs, shortNames: nil))
                }
            }
        }
        return APIResourceList(groupVersion: version.rawValue, resources: out)
    }

    private static let shortNames: [String: [String]] = [
        "pods": ["po"], "replicationcontrollers": ["rc"], "services": ["svc"], "endpoints": ["ep"],
        "nodes": ["no"], "events": ["ev"],
    ]
}
