import AsyncHTTPClient
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import OrcaAPI
import OrcaText

/// A typed client of the master's v1 API (`/api/v1/...`), over AsyncHTTPClient.
///
/// Every verb is generic over an ``OrcaAPI/APIObject`` kind, whose `resource` and `namespaced`
/// give the path. A non-2xx answer is thrown as the ``OrcaAPI/APIError`` that the server's
/// `Status` body describes, so callers match `error.reason == .notFound`, never messages; a
/// master that cannot be reached is thrown as ``OrcaClientError/unreachable(master:reason:)``.
///
/// The client holds no mutable state and may be shared between tasks. It uses
/// ``sharedHTTPClient`` unless given an `HTTPClient` (whose creator shuts it down) or made with
/// ``owned(configuration:)`` (call ``shutdown()`` when done).
public struct OrcaClient: Sendable {
    /// Where the master is and how long requests may take.
    public struct Configuration: Sendable {
        /// The master's URL, as `http://127.0.0.1:8080` (a trailing `/` is ignored).
        public var baseURL: String
        /// The deadline of each request except watches, from sending to the end of the body.
        public var requestTimeout: Duration = .seconds(30)
        /// The largest response body read; larger answers fail rather than exhaust memory.
        public var maxResponseBytes = 64 << 20
        /// Called after every answer with the method, URL and HTTP status (for `-verbose`).
        public var onResponse: (@Sendable (_ method: String, _ url: String, _ status: Int) -> Void)?
        /// How long one connection attempt may take. Used by ``OrcaClient/owned(configuration:)``.
        public var connectTimeout: Duration = .seconds(10)
        /// Whether a refused or failed connection is retried (with backoff, until the request's
        /// deadline) before the request fails. Daemons want this; a CLI wants to fail at once.
        /// Used by ``OrcaClient/owned(configuration:)``; ``OrcaClient/sharedHTTPClient`` always retries.
        public var retryConnecting = true

        public init(baseURL: String) {
            var url = baseURL
            while url.hasSuffix("/") { url.removeLast() }
            self.baseURL = url
        }
    }

    public let configuration: Configuration
    let http: HTTPClient

    /// Connections per master. Every watch holds one for its whole life, so the 8 of
    /// `HTTPClient.shared` would let a few informers starve every other request.
    static let connectionLimit = 1024

    /// The process-wide client behind `OrcaClient`s made without one: `HTTPClient.shared`'s
    /// settings, with room for many watches at once. Never shut down.
    public static let sharedHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connectionLimit)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()
    /// Whether ``shutdown()`` shuts `http` down (it was made by ``owned(configuration:)``).
    private let ownsHTTPClient: Bool

    /// A client of the master in `configuration`, over `httpClient` (which the caller owns).
    public init(configuration: Configuration, httpClient: HTTPClient = OrcaClient.sharedHTTPClient) {
        self.configuration = configuration
        self.http = httpClient
        self.ownsHTTPClient = false
    }

    /// A client with its own `HTTPClient`, made with the configuration's `connectTimeout` and
    /// `retryConnecting`. Call ``shutdown()`` once no request is in flight.
    public static func owned(configuration: Configuration) -> OrcaClient {
        var http = HTTPClient.Configuration()
        http.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connectionLimit)
        http.timeout.connect = .nanoseconds(nanoseconds(configuration.connectTimeout))
        http.connectionPool.retryConnectionEstablishment = configuration.retryConnecting
        return OrcaClient(configuration: configuration, owned: HTTPClient(configuration: http))
    }

    private init(configuration: Configuration, owned http: HTTPClient) {
        self.configuration = configuration
        self.http = http
        self.ownsHTTPClient = true
    }

    /// Shuts down the `HTTPClient` of a client made by ``owned(configuration:)``; does nothing
    /// for a client over a shared or caller-owned `HTTPClient`.
    public func shutdown() async throws {
        if ownsHTTPClient { try await http.shutdown() }
    }

    /// A client of the master at `baseURL` (`http://host:port`) with the default configuration.
    public init(baseURL: String, httpClient: HTTPClient = OrcaClient.sharedHTTPClient) {
        self.init(configuration: Configuration(baseURL: baseURL), httpClient: httpClient)
    }

    /// The master's URL as configured.
    public var baseURL: String { configuration.baseURL }

    /// Sends one request and returns the status and the whole body of a 2xx answer.
    ///
    /// For paths the typed verbs do not cover (`/api/v1beta1/...`, `/healthz`). `path` starts
    /// with `/` and may carry a query string. A non-2xx answer throws ``OrcaAPI/APIError``
    /// decoded from its `Status` body; a transport failure throws ``OrcaClientError``.
    public func send(
        method: String, path: String, body: Data? = nil, contentType: String = "application/json"
    ) async throws -> (status: Int, body: Data) {
        let response = try await perform(method: method.uppercased(), path: path,
                                          body: body, contentType: contentType)
        guard (200..<300).contains(response.status) else {
            throw Self.apiError(status: response.status, body: response.body)
        }
        return response
    }

    // MARK: Internals shared by the verbs

    /// Executes a request and reads the whole answer, whatever its status.
    func perform(method: String, path: String, body: Data?, contentType: String = "application/json")
        async throws -> (status: Int, body: Data) {
        let url = baseURL + path
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let deadline = NIODeadline.now() + .nanoseconds(Self.nanoseconds(configuration.requestTimeout))
        let status: Int
        let data: Data
        do {
            let response = try await http.execute(request, deadline: deadline)
            status = Int(response.status.code)
            data = Data(try await response.body.collect(upTo: configuration.maxResponseBytes).readableBytesView)
        } catch let error as CancellationError {
            throw error
        } catch {
            throw OrcaClientError.transport(error, master: baseURL)
        }
        configuration.onResponse?(method, url, status)
        return (status, data)
    }

    /// Performs a request and decodes a 2xx answer as `T`; throws the server's error otherwise.
    func request<T: Decodable>(
        _ type: T.Type, method: String, path: String, body: Data? = nil
    ) async throws -> T {
        let response = try await perform(method: method, path: path, body: body)
        guard (200..<300).contains(response.status) else {
            throw Self.apiError(status: response.status, body: response.body)
        }
        return try Self.decode(type, from: response.body)
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try ManifestDecoder.decode(type, json: data)
        } catch {
            throw OrcaClientError.undecodable(error.message)
        }
    }

    /// The error a non-2xx answer stands for: its `Status` body when it has one, else one made
    /// from the HTTP code (a proxy's HTML page, an empty 404).
    public static func apiError(status: Int, body: Data) -> APIError {
        if let decoded = try? JSONDecoder().decode(Status.self, from: body),
           decoded.kind == "Status" || decoded.reason != nil || decoded.message != nil {
            var error = APIError(status: decoded, httpCode: status)
            if error.reason == .unknown, let reason = reason(forHTTPCode: status) {
                error = APIError(reason, error.message, details: error.details)
            }
            return error
        }
        let text = String(decoding: body.prefix(200), as: UTF8.self)
            .trimmingWhitespaceAndNewlines()
        let message = text.isEmpty ? "the server answered \(status)" : "the server answered \(status): \(text)"
        if let reason = reason(forHTTPCode: status) { return APIError(reason, message) }
        return APIError(.unknown, message, code: status)
    }

    private static func reason(forHTTPCode code: Int) -> APIError.Reason? {
        switch code {
        case 400: .badRequest
        case 403: .forbidden
        case 404: .notFound
        case 405: .methodNotAllowed
        case 409: .conflict
        case 410: .gone
        case 413: .tooLarge
        case 415: .unsupportedMediaType
        case 422: .invalid
        case 503: .unavailable
        case 504: .timeout
        case 500: .internalError
        default: nil
        }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
    }
}
