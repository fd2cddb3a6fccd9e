import AsyncHTTPClient
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import NIOCore
import Synchronization

/// Speaks the OCI distribution API (`/v2/<name>/manifests/<ref>`, `/v2/<name>/blobs/<digest>`)
/// to the endpoints of a registry: mirrors first, then the registry itself.
///
/// Authentication follows Docker's registry token flow: a request answered 401 with
/// `WWW-Authenticate: Bearer realm=...,service=...,scope=...` makes us GET a token from the
/// realm (anonymously, or with the configured credentials) and retry with
/// `Authorization: Bearer <token>`; tokens are cached per endpoint and scope until they
/// expire. `Basic` challenges get the configured credentials. Redirects are followed by
/// hand so that the `Authorization` header never goes to another host (blob storage such
/// as S3 rejects it). Thread-safe.
public final class RegistryClient: Sendable {
    public let configuration: RegistryConfiguration
    private let http: HTTPClient
    private let tokens = Mutex<[String: CachedToken]>([:])

    private struct CachedToken {
        var header: String
        var expires: ContinuousClock.Instant
    }

    /// - Parameter httpClient: the client to use; by default one process-wide client whose
    ///   redirects are not followed automatically (see above).
    public init(configuration: RegistryConfiguration, httpClient: HTTPClient? = nil) {
        self.configuration = configuration
        http = httpClient ?? registryHTTPClient
    }

    /// A response whose body the caller consumes.
    struct Response {
        var endpoint: RegistryEndpoint
        var contentType: String?
        var contentLength: Int64?
        var body: HTTPClientResponse.Body
    }

    /// GETs `path` (under `/v2/<repository>/`) from the first endpoint that has it.
    ///
    /// Endpoints are tried in order; an endpoint that fails in any way (unreachable, 404,
    /// 401, 5xx) passes the request to the next, as containerd and k3s do with mirrors.
    /// When all fail, the most telling error wins: an answer from a registry (denied, not
    /// found) says more than a refused connection to a mirror.
    func get(_ path: String, repository: String, registry: String, accept: String?,
             timeout: Duration, logger: Logger) async throws -> Response {
        var errors: [ImageError] = []
        for endpoint in configuration.endpoints(for: registry) {
            do {
                return try await get(path, repository: repository, endpoint: endpoint, accept: accept,
                                     timeout: timeout)
            } catch let error as ImageError {
                logger.debug("registry endpoint failed", metadata: [
                    "endpoint": "\(endpoint)", "path": "\(path)", "error": "\(error)",
                ])
                errors.append(error)
            }
        }
        throw errors.max { Self.rank($0) < Self.rank($1) } ?? .registryUnavailable(registry, detail: "no endpoint")
    }

    private static func rank(_ error: ImageError) -> Int {
        switch error {
        case .digestMismatch: 4
        case .unauthorized: 3
        case .notFound: 2
        case .registryUnavailable: 0
        default: 1
        }
    }

    private func get(_ path: String, repository: String, endpoint: RegistryEndpoint, accept: String?,
                     timeout: Duration) async throws -> Response {
        let scope = "repository:\(repository):pull"
        let tokenKey = endpoint.base + " " + scope
        var url = endpoint.base + "/v2/" + repository + "/" + path
        var authorization = cachedToken(tokenKey) ?? basicAuthorization(for: endpoint)
        var authenticated = false
        var redirects = 0
        let deadline = NIODeadline.now() + .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000
            + timeout.components.attoseconds / 1_000_000_000)
        while true {
            var request = HTTPClientRequest(url: url)
            if let accept { request.headers.add(name: "Accept", value: accept) }
            if let authorization { request.headers.add(name: "Authorization", value: authorization) }
            let response: HTTPClientResponse
            do {
                response = try await http.execute(request, deadline: deadline)
            } catch {
                throw ImageError.registryUnavailable(endpoint.host, detail: "\(url): \(error)")
            }
            switch response.status.code {
            case 200:
                return Response(endpoint: endpoint, contentType: response.headers.first(name: "Content-Type"),
                                contentLength: response.headers.first(name: "Content-Length").flatMap { Int64($0) },
                                body: response.body)
            case 301, 302, 303, 307, 308:
                guard redirects < 5, let location = response.headers.first(name: "Location"),
                      let next = URL(string: location, relativeTo: URL(string: url))?.absoluteURL else {
                    throw ImageError.registryUnavailable(endpoint.host, detail: "\(url): bad redirect")
                }
                if next.host != URL(string: url)?.host { authorization = nil }
                url = next.absoluteString
                redirects += 1
            case 401 where !authenticated:
                let challenge = response.headers.first(name: "WWW-Authenticate").flatMap(AuthenticationChallenge.init)
                authorization = try await respond(to: challenge, endpoint: endpoint, scope: scope, key: tokenKey,
                                                  url: url)
                authenticated = true
            case 401, 403:
                throw ImageError.unauthorized(url, detail: await Self.errorDetail(response))
            case 404:
                throw ImageError.notFound(url)
            default:
                throw ImageError.registryUnavailable(
                    endpoint.host, detail: "\(url): HTTP \(response.status.code) \(await Self.errorDetail(response))")
            }
        }
    }

    /// The `Authorization` header that answers a 401's challenge.
    private func respond(to challenge: AuthenticationChallenge?, endpoint: RegistryEndpoint, scope: String,
                         key: String, url: String) async throws -> String {
        switch challenge?.scheme {
        case "bearer":
            guard let challenge, let realm = challenge.realm else {
                throw ImageError.unauthorized(url, detail: "Bearer challenge without a realm")
            }
            let token = try await fetchToken(realm: realm, service: challenge.parameters["service"],
                                             scope: challenge.parameters["scope"] ?? scope, endpoint: endpoint)
            let header = "Bearer " + token.value
            tokens.withLock { $0[key] = CachedToken(header: header, expires: .now + token.lifetime) }
            return header
        case "basic":
            guard let basic = basicAuthorization(for: endpoint) else {
                throw ImageError.unauthorized(url, detail: "the registry wants credentials and none are configured")
            }
            return basic
        default:
            throw ImageError.unauthorized(url, detail: "no usable WWW-Authenticate challenge")
        }
    }

    private func fetchToken(realm: String, service: String?, scope: String,
                            endpoint: RegistryEndpoint) async throws -> (value: String, lifetime: Duration) {
        guard var components = URLComponents(string: realm), components.scheme != nil else {
            throw ImageError.unauthorized(realm, detail: "bad token realm")
        }
        var query = components.queryItems ?? []
        if let service { query.append(URLQueryItem(name: "service", value: service)) }
        query.append(URLQueryItem(name: "scope", value: scope))
        components.queryItems = query
        guard let url = components.string else { throw ImageError.unauthorized(realm, detail: "bad token realm") }
        var request = HTTPClientRequest(url: url)
        if let basic = basicAuthorization(for: endpoint) { request.headers.add(name: "Authorization", value: basic) }
        let response: HTTPClientResponse
        do {
            let timeout = TimeAmount.seconds(configuration.requestTimeout.components.seconds)
            response = try await http.execute(request, timeout: timeout)
        } catch {
            throw ImageError.registryUnavailable(components.host ?? realm, detail: "token service: \(error)")
        }
        guard response.status.code == 200 else {
            throw ImageError.unauthorized(url, detail: "token service answered \(response.status.code)")
        }
        struct TokenResponse: Decodable {
            var token: String?
            var access_token: String?
            var expires_in: Int?
        }
        let body = try? await response.body.collect(upTo: 1 << 20)
        guard let body, let decoded = try? JSONDecoder().decode(TokenResponse.self, from: Data(body.readableBytesView)),
              let token = decoded.token ?? decoded.access_token, !token.isEmpty else {
            throw ImageError.unauthorized(url, detail: "token service sent no token")
        }
        // Docker's default lifetime is 60 s; renew a little early.
        return (token, .seconds(max((decoded.expires_in ?? 60) - 5, 1)))
    }

    private func cachedToken(_ key: String) -> String? {
        tokens.withLock { cache in
            guard let token = cache[key] else { return nil }
            guard token.expires > .now else {
                cache[key] = nil
                return nil
            }
            return token.header
        }
    }

    private func basicAuthorization(for endpoint: RegistryEndpoint) -> String? {
        guard let credentials = configuration.credentials[endpoint.host] else { return nil }
        return "Basic " + Data("\(credentials.username):\(credentials.password)".utf8).base64EncodedString()
    }

    /// The registry's error message (`{"errors":[{"code":...,"message":...}]}`) for a failed request.
    private static func errorDetail(_ response: HTTPClientResponse) async -> String {
        struct Errors: Decodable {
            struct Entry: Decodable {
                var code: String?
                var message: String?
            }
            var errors: [Entry]
        }
        guard let body = try? await response.body.collect(upTo: 64 << 10) else { return "" }
        let data = Data(body.readableBytesView)
        if let decoded = try? JSONDecoder().decode(Errors.self, from: data) {
            return decoded.errors.map { [$0.code, $0.message].compactMap { $0 }.joined(separator: ": ") }
                .joined(separator: "; ")
        }
        return String(decoding: data.prefix(200), as: UTF8.self)
    }
}

/// One client for every registry request of the process: its connection pool is shared,
/// redirects are handled by ``RegistryClient`` itself, a read that stalls for a minute fails
/// the transfer, and a refused connection fails at once (by default the pool retries until
/// the request's deadline, which would make every dead mirror cost the whole timeout).
/// Never shut down: it lives as long as the process.
private let registryHTTPClient: HTTPClient = {
    var configuration = HTTPClient.Configuration(
        redirectConfiguration: .disallow,
        timeout: .init(connect: .seconds(10), read: .seconds(60)))
    configuration.connectionPool.retryConnectionEstablishment = false
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
}()
