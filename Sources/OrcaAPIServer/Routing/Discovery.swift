import Foundation
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

    /// Orca serves the API of Kubernetes 1.32 (what kubectl 1.32 expects); `gitVersion` says
    /// which Orca it is, with the Kubernetes version it matches first so clients that parse it
    /// as semantic version read 1.32.
    static let current = VersionInfo(
        major: "1", minor: "32", gitVersion: "v1.32.0+orca.\(OrcaVersion.string)", gitCommit: "orca-\(OrcaVersion.string)",
        gitTreeState: "clean", buildDate: "2026-12-07T00:00:00Z", goVersion: "swift6", compiler: "swiftc",
        platform: "linux/amd64")
}

/// The Orca release, reported by `/version` and `orca --version`.
public enum OrcaVersion {
    public static let string = "0.1.0"
}

/// The discovery documents (`/api`, `/apis`, `/apis/G`, `/api/v1`, `/apis/G/V`), plain and
/// aggregated (`apidiscovery.k8s.io/v2`), all built once from the endpoints' ``ResourceInfo``.
///
/// The seed's v1beta1 is served but not advertised: kubectl would map its `minions` and
/// `replicationControllers` to kinds it cannot read (docs/kubectl.md).
struct Discovery: Sendable {
    let apiVersions: Data
    let apiGroups: Data
    let groups: [String: Data]
    let resourceLists: [GroupVersion: Data]
    let aggregatedCore: Data
    let aggregatedGroups: Data

    /// The media type of aggregated discovery, which kubectl asks for first.
    static let aggregatedMediaType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

    init(_ table: EndpointTable) {
        let byGroupVersion = table.groupVersions
        let versions = byGroupVersion.keys.sorted()
        apiVersions = JSON.encode(APIVersions(versions: versions.filter { $0.group.isEmpty }.map(\.version)))
        var groupDocs: [APIGroup] = []
        for group in Self.namedGroups(versions) {
            let groupVersions = versions.filter { $0.group == group }.map {
                GroupVersionForDiscovery(groupVersion: $0.description, version: $0.version)
            }
            groupDocs.append(APIGroup(name: group, versions: groupVersions, preferredVersion: groupVersions[0]))
        }
        apiGroups = JSON.encode(APIGroupList(groups: groupDocs))
        groups = Dictionary(uniqueKeysWithValues: groupDocs.map { ($0.name, JSON.encode($0)) })
        resourceLists = byGroupVersion.mapValues { endpoints in
            let infos = endpoints.map(\.info).sorted { $0.resource < $1.resource }
            return JSON.encode(APIResourceList(groupVersion: infos[0].groupVersion.description,
                                               resources: infos.flatMap(Self.legacyResources)))
        }
        func aggregated(_ groups: [String]) -> Data {
            JSON.encode(APIGroupDiscoveryList(items: groups.map { group in
                APIGroupDiscovery(
                    metadata: .init(name: group.isEmpty ? nil : group),
                    versions: versions.filter { $0.group == group }.map { gv in
                        let infos = (byGroupVersion[gv] ?? []).map(\.info).sorted { $0.resource < $1.resource }
                        return APIVersionDiscovery(version: gv.version, resources: infos.map(Self.aggregatedResource))
                    })
            }))
        }
        aggregatedCore = aggregated([""])
        aggregatedGroups = aggregated(Self.namedGroups(versions))
    }

    private static func namedGroups(_ versions: [GroupVersion]) -> [String] {
        var seen: [String] = []
        for gv in versions where !gv.group.isEmpty && !seen.contains(gv.group) { seen.append(gv.group) }
        return seen
    }

    /// Whether a request's Accept header asks for aggregated discovery (v2; v2beta1 is gone in 1.32's servers).
    static func wantsAggregated(_ accept: String?) -> Bool {
        AcceptHeader.offers(accept, parameters: ["g=apidiscovery.k8s.io", "v=v2", "as=APIGroupDiscoveryList"])
    }

    private static func legacyResources(_ info: ResourceInfo) -> [APIResource] {
        var out = [APIResource(
            name: info.resource, singularName: info.singular, namespaced: info.namespaced, kind: info.kind,
            verbs: info.verbs, shortNames: info.shortNames.isEmpty ? nil : info.shortNames,
            categories: info.categories.isEmpty ? nil : info.categories)]
        for sub in info.subresources {
            out.append(APIResource(
                name: info.resource + "/" + sub.name, singularName: "", namespaced: info.namespaced,
                group: sub.groupVersion?.group, version: sub.groupVersion?.version, kind: sub.kind, verbs: sub.verbs))
        }
        return out
    }

    private static func aggregatedResource(_ info: ResourceInfo) -> APIResourceDiscovery {
        APIResourceDiscovery(
            resource: info.resource,
            responseKind: GroupVersionKind(group: info.groupVersion.group, version: info.groupVersion.version,
                                           kind: info.kind),
            scope: info.namespaced ? "Namespaced" : "Cluster", singularResource: info.singular, verbs: info.verbs,
            shortNames: info.shortNames.isEmpty ? nil : info.shortNames,
            categories: info.categories.isEmpty ? nil : info.categories,
            subresources: info.subresources.isEmpty ? nil : info.subresources.map { sub in
                let gv = sub.groupVersion ?? info.groupVersion
                return APISubresourceDiscovery(
                    subresource: sub.name,
                    responseKind: GroupVersionKind(group: gv.group, version: gv.version, kind: sub.kind),
                    verbs: sub.verbs)
            })
    }

    // MARK: Documents

    struct APIVersions: Codable {
        var kind = "APIVersions"
        var versions: [String]
        var serverAddressByClientCIDRs: [ServerAddress] = [ServerAddress(clientCIDR: "0.0.0.0/0", serverAddress: "")]
    }

    struct ServerAddress: Codable {
        var clientCIDR: String
        var serverAddress: String
    }

    struct APIGroupList: Codable {
        var kind = "APIGroupList"
        var apiVersion = "v1"
        var groups: [APIGroup]
    }

    struct APIGroup: Codable {
        var kind = "APIGroup"
        var apiVersion = "v1"
        var name: String
        var versions: [GroupVersionForDiscovery]
        var preferredVersion: GroupVersionForDiscovery
    }

    struct GroupVersionForDiscovery: Codable {
        var groupVersion: String
        var version: String
    }

    struct APIResourceList: Codable {
        var kind = "APIResourceList"
        var apiVersion = "v1"
        var groupVersion: String
        var resources: [APIResource]
    }

    struct APIResource: Codable {
        var name: String
        var singularName: String
        var namespaced: Bool
        var group: String?
        var version: String?
        var kind: String
        var verbs: [String]
        var shortNames: [String]?
        var categories: [String]?
    }

    struct APIGroupDiscoveryList: Codable {
        var kind = "APIGroupDiscoveryList"
        var apiVersion = "apidiscovery.k8s.io/v2"
        var metadata = ListMeta()
        var items: [APIGroupDiscovery]
    }

    struct APIGroupDiscovery: Codable {
        var metadata: Name
        var versions: [APIVersionDiscovery]

        struct Name: Codable { var name: String? }
    }

    struct APIVersionDiscovery: Codable {
        var version: String
        var resources: [APIResourceDiscovery]
        var freshness = "Current"
    }

    struct GroupVersionKind: Codable {
        var group: String
        var version: String
        var kind: String
    }

    struct APIResourceDiscovery: Codable {
        var resource: String
        var responseKind: GroupVersionKind
        var scope: String
        var singularResource: String
        var verbs: [String]
        var shortNames: [String]?
        var categories: [String]?
        var subresources: [APISubresourceDiscovery]?
    }

    struct APISubresourceDiscovery: Codable {
        var subresource: String
        var responseKind: GroupVersionKind
        var verbs: [String]
    }
}
