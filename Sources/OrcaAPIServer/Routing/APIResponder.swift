import Foundation
import Hummingbird
import Logging
import OrcaAPI

/// The single HTTP entry point: routes every path, turns every failure into a `Status`, and
/// logs each request. Nothing a client sends can produce a 500 unless Orca itself is broken.
struct APIResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    /// Requests larger than this are refused with 413 (Kubernetes allows 3 MiB).
    static let maxBodySize = 3 * 1024 * 1024

    let endpoints: EndpointTable
    let discovery: Discovery
    let openAPI: OpenAPIDocuments
    let logger: Logger
    let maxWatchDuration: Duration

    func respond(to request: Request, context: Context) async throws -> Response {
        let start = ContinuousClock.now
        var version = APIVersion.v1
        let response: Response
        do {
            response = try await route(request, version: &version)
        } catch let error as APIError {
            response = Responses.error(error, version: version)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            response = Responses.error(tooLarge, version: version)
        } catch is CancellationError {
            response = Responses.error(APIError(.unavailable, "the request was cancelled"), version: version)
        } catch {
            logger.error("internal error", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            response = Responses.error(APIError(.internalError, "internal error: \(error)"), version: version)
        }
        let elapsed = ContinuousClock.now - start
        let code = response.status.code
        logger.log(
            level: code >= 500 ? .error : (code >= 400 ? .notice : .info),
            "\(request.method) \(request.uri.description) \(code)",
            metadata: ["ms": "\(elapsed.milliseconds)"])
        return response
    }

    private var tooLarge: APIError {
        APIError(.tooLarge, "the request body is larger than \(Self.maxBodySize) bytes")
    }

    private func route(_ request: Request, version: inout APIVersion) async throws -> Response {
        guard let route = APIRoute.parse(request.uri.path) else {
            throw APIError(.notFound, "the server could not find the requested resource: \(request.uri.path)")
        }
        switch route {
        case .healthz:
            var headers = HTTPFields()
            headers[.contentType] = "text/plain"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "ok")))
        case .version:
            return Responses.json(VersionInfo.current)
        case .apiVersions:
            if Discovery.wantsAggregated(request.headers[.accept]) {
                return Responses.json(discovery.aggregatedCore, contentType: Discovery.aggregatedMediaType)
            }
            return Responses.json(discovery.apiVersions)
        case .apiGroups:
            if Discovery.wantsAggregated(request.headers[.accept]) {
                return Responses.json(discovery.aggregatedGroups, contentType: Discovery.aggregatedMediaType)
            }
            return Responses.json(discovery.apiGroups)
        case .apiGroup(let group):
            guard let document = discovery.groups[group] else { throw notFound(request) }
            return Responses.json(document)
        case .resourceList(let groupVersion):
            guard let document = discovery.resourceLists[groupVersion] else { throw notFound(request) }
            return Responses.json(document)
        case .openAPIV2:
            return try openAPI.v2(request)
        case .openAPIV3Index:
            return openAPI.v3IndexResponse()
        case .openAPIV3(let groupVersion):
            return try openAPI.v3(groupVersion, request)
        case .resource(let path):
            version = path.version
            guard let endpoint = endpoints.endpoint(for: path) else { throw notFound(request) }
            let query = try RequestQuery(request.uri.queryParameters.map { (String($0.key), String($0.value)) },
                                         version: path.version)
            if let ns = path.namespace ?? query.namespace, !Validation.isDNS1123Label(ns) {
                throw APIError(.notFound, "namespace \"\(ns)\" not found")
            }
            var body: Data?
            if request.method == .post || request.method == .put || request.method == .patch
                || (request.method == .delete && (request.headers[.contentLength].flatMap(Int.init) ?? 0) > 0) {
                try Self.checkBodyType(request.headers[.contentType])
                body = try await readBody(request)
            }
            let apiRequest = APIRequest(method: request.method, path: path, query: query, body: body, request: request,
                                        maxWatchDuration: maxWatchDuration)
            return try await endpoint.handle(apiRequest)
        }
    }

    /// Bodies are JSON or YAML (and the patch types, which are JSON or YAML too). Protobuf and
    /// CBOR get 415, on which Kubernetes' clients send JSON instead.
    static func checkBodyType(_ contentType: String?) throws(APIError) {
        guard let contentType else { return }
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        if mediaType.contains("protobuf") || mediaType.contains("cbor") {
            throw APIError(.unsupportedMediaType, "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json")
        }
    }

    private func notFound(_ request: Request) -> APIError {
        APIError(.notFound, "the server could not find the requested resource")
    }

    private func readBody(_ request: Request) async throws -> Data {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > Self.maxBodySize {
            throw tooLarge
        }
        var collected = ByteBuffer()
        for try await var part in request.body {
            guard collected.readableBytes + part.readableBytes <= Self.maxBodySize else { throw tooLarge }
            collected.writeBuffer(&part)
        }
        return Data(buffer: collected, byteTransferStrategy: .noCopy)
    }
}

extension Duration {
    /// Whole milliseconds, for logs.
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}

/// Endpoints by the group, version and resource name paths use (v1beta1 names case-insensitive,
/// as kubecfg accepts).
struct EndpointTable: Sendable {
    let all: [any ResourceEndpoint]
    private let byPath: [PathKey: any ResourceEndpoint]

    private struct PathKey: Hashable {
        var groupVersion: GroupVersion
        var resource: String
    }

    init(_ endpoints: [any ResourceEndpoint]) {
        all = endpoints
        var byPath: [PathKey: any ResourceEndpoint] = [:]
        for endpoint in endpoints {
            let info = endpoint.info
            byPath[PathKey(groupVersion: info.groupVersion, resource: info.resource)] = endpoint
            for other in endpoint.otherVersions {
                byPath[PathKey(groupVersion: other.groupVersion, resource: Self.pathName(other.resource, other.groupVersion))] = endpoint
            }
        }
        self.byPath = byPath
    }

    private static func pathName(_ resource: String, _ groupVersion: GroupVersion) -> String {
        groupVersion.encoding == .v1beta1 ? resource.lowercased() : resource
    }

    func endpoint(for path: ResourcePath) -> (any ResourceEndpoint)? {
        let key = PathKey(groupVersion: path.groupVersion, resource: Self.pathName(path.resource, path.groupVersion))
        guard let endpoint = byPath[key] else { return nil }
        // A namespaced path to a cluster-scoped kind (or the reverse for named objects) is unknown.
        if path.namespace != nil && !endpoint.namespaced { return nil }
        return endpoint
    }

    /// Every group and version served, with its resources, in a stable order (the core group first).
    var groupVersions: [GroupVersion: [any ResourceEndpoint]] {
        var out: [GroupVersion: [any ResourceEndpoint]] = [:]
        for endpoint in all { out[endpoint.info.groupVersion, default: []].append(endpoint) }
        return out
    }
}
