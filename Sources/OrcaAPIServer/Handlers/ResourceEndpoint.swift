import Foundation
import Hummingbird
import OrcaAPI

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
    /// The v1 resource name (`pods`).
    var resource: String { get }
    /// The v1beta1 name (`replicationControllers`, `minions`).
    var v1beta1Resource: String? { get }
    var namespaced: Bool { get }
    var kind: String { get }
    func handle(_ request: APIRequest) async throws -> Response
}
