import OrcaAPI

/// What discovery and OpenAPI say of one resource: its group and version, names, scope, verbs and
/// subresources. Read off the kind and its endpoint, never written out by hand.
struct ResourceInfo: Sendable {
    var groupVersion: GroupVersion
    var resource: String
    var kind: String
    var namespaced: Bool
    var shortNames: [String]
    var categories: [String]
    var subresources: [SubresourceInfo]
    var verbs = ResourceInfo.standardVerbs

    /// `pod` for `pods`, as Kubernetes derives it: the kind in lower case.
    var singular: String { kind.lowercased() }

    static let standardVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
}

/// A subresource as discovery lists it (`pods/log`: kind Pod, verb get).
struct SubresourceInfo: Sendable {
    var name: String
    var kind: String
    /// The group and version of `kind` when it is not the resource's own (`autoscaling/v1` Scale).
    var groupVersion: GroupVersion?
    var verbs: [String]
}
