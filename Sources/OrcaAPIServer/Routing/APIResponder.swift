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
            return Responses.json(Discovery.versions)
        case .resourceList(let v):
            version = v
            return Responses.json(Discovery.resources(endpoints.all, version: v))
        case .resource(let path):
            version = path.version
            guard let endpoint = endpoints.endpoint(for: path) else {
                throw APIError(.notFound, "the server could not find the requested resource: \(request.uri.path)")
            }
            let query = try RequestQuery(request.uri.queryParameters.map { (String($0.key), String($0.value)) },
                                         version: path.version)
            if let ns = path.namespace ?? query.namespace, !Validation.isDNS1123Label(ns) {
                throw APIError(.notFound, "namespace \"\(ns)\" not found")
            }
            var body: Data?
            if request.method == .post || request.method == .put || request.method == .patch {
                body = try await readBody(request)
            }
            let apiRequest = APIRequest(method: request.method, path: path, query: query, body: body, request: request,
                                        maxWatchDuration: maxWatchDuration)
            return try await endpoint.handle(apiRequest)
        }
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

/// Endpoints by the names paths use (v1 and v1beta1, case-insensitive as kubecfg accepts).
struct EndpointTable: Sendable {
    let all: [any ResourceEndpoint]
    private let byName: [String: any ResourceEndpoint]

    init(_ endpoints: [any ResourceEndpoint]) {
        all = endpoints
        var byName: [String: any ResourceEndpoint] = [:]
        for endpoint in endpoints {
            byName["v1/" + endpoint.resource] = endpoint
            if let beta = endpoint.v1beta1Resource { byName["v1beta1/" + beta.lowercased()] = endpoint }
        }
        self.byName = byName
    }

    func endpoint(for path: ResourcePath) -> (any ResourceEndpoint)? {
        let name = path.version == .v1 ? path.resource : path.resource.lowercased()
        guard let endpoint = byName["\(path.version.rawValue)/\(name)"] else { return nil }
        // A namespaced path to a cluster-scoped kind (or the reverse for named objects) is unknown.
        if path.namespace != nil && !endpoint.namespaced { return nil }
        return endpoint
    }
}
