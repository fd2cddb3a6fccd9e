import Foundation
import Hummingbird
import OrcaAPI
import Synchronization

/// One HTTP request after routing: what the endpoint for a resource needs to answer it.
struct APIRequest: Sendable {
    var method: HTTPRequest.Method
    var path: ResourcePath
    var query: RequestQuery
    /// The request body, read up to the size limit (nil for reads).
    var body: Data?
    /// Kept for watches, which end when the client goes away.
    var request: Request
    /// Watches end after this even if the client asked for longer.
    var maxWatchDuration: Duration

    /// The client asked for a `meta.k8s.io/v1` Table (kubectl's `get`).
    var wantsTable: Bool { Table.wanted(request.headers[.accept]) }

    /// The namespace addressed: from the path (v1) or `?namespace=` (v1beta1), else `default`.
    /// Nil for a cluster-wide list or watch.
    var namespace: String? {
        switch path.version {
        case .v1: path.namespace
        case .v1beta1: query.namespace
        }
    }
}

/// Serves one resource (all its verbs and subresources), whatever its kind.
protocol ResourceEndpoint: Sendable {
    /// The resource in its own group and version, as discovery and OpenAPI describe it.
    var info: ResourceInfo { get }
    /// Other versions it is served in by conversion, with the resource and kind names there.
    var otherVersions: [(groupVersion: GroupVersion, resource: String, kind: String)] { get }
    var namespaced: Bool { get }
    /// Adds the schemas of its kind, list and subresources to `schemas` and names their definitions.
    func addSchemas(to schemas: inout SchemaSet) throws -> EndpointSchemaNames
    func handle(_ request: APIRequest) async throws -> Response
    /// Deletes everything of this resource in `namespace` (a namespace being finalized); returns
    /// how many objects there were, so the caller knows whether it was already empty.
    func deleteCollection(namespace: String) async throws -> Int
    /// Deletes the objects whose ownerReferences name `uid` (in `namespace`, for namespaced kinds).
    func deleteOwned(by uid: String, namespace: String?) async throws
}

/// Every endpoint, for deleting what a deleted object owned. Filled once the endpoints exist
/// (each endpoint holds it, and it holds every endpoint).
final class Cascade: Sendable {
    private let endpoints = Mutex<[any ResourceEndpoint]>([])

    func set(_ all: [any ResourceEndpoint]) { endpoints.withLock { $0 = all } }

    func deleteOwned(by uid: String, namespace: String?) async throws {
        for endpoint in endpoints.withLock({ $0 }) {
            try await endpoint.deleteOwned(by: uid, namespace: namespace)
        }
    }
}
