import Foundation
import Hummingbird
import HummingbirdTesting
import OrcaAPI
@testable import OrcaAPIServer
import OrcaStore
import Testing

/// An API server over an in-memory store, driven through Hummingbird's router test client.
struct TestServer {
    let server: APIServer
    let store: any ObjectStore

    /// `maxWatch` bounds watches: the router test client only ends a request's inbound side
    /// once the response is complete, so a watch there ends only by time.
    static func make(store: (any ObjectStore)? = nil, serviceCIDR: String = "10.0.0.0/16",
                     maxWatch: Duration = .seconds(60)) async throws -> TestServer {
        let store = store ?? InMemoryStore()
        var config = APIServer.Configuration()
        config.port = 0
        config.serviceCIDR = IPv4CIDR(serviceCIDR)!
        config.logger.logLevel = .warning
        config.maxWatchDuration = maxWatch
        return TestServer(server: try await APIServer.make(configuration: config, store: store), store: store)
    }

    func run<Value: Sendable>(_ mode: TestingSetup = .router,
                              _ body: @Sendable (APIClient) async throws -> Value) async throws -> Value {
        try await server.application().test(mode) { client in try await body(APIClient(client: client)) }
    }
}

/// A small JSON-speaking wrapper over the test client.
struct APIClient: Sendable {
    let client: any TestClientProtocol

    struct Reply: Sendable {
        var code: Int
        var body: Data

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(type, from: body) }
        /// The Status of an error reply.
        var status: Status? { try? JSONDecoder().decode(Status.self, from: body) }
        var causes: [String] { status?.details?.causes?.compactMap(\.field) ?? [] }
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, body: Data? = nil,
              contentType: String = "application/json", accept: String? = nil) async throws -> Reply {
        var headers = HTTPFields()
        if body != nil { headers[.contentType] = contentType }
        if let accept { headers[.accept] = accept }
        let response = try await client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) })
        return Reply(code: Int(response.status.code), body: Data(buffer: response.body))
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, json: Any) async throws -> Reply {
        try await send(method, uri, body: try JSONSerialization.data(withJSONObject: json))
    }

    func send<E: Encodable>(_ method: HTTPRequest.Method, _ uri: String, object: E) async throws -> Reply {
        try await send(method, uri, body: JSON.encode(object))
    }
}

enum Samples {
    static func pod(_ name: String, labels: [String: String] = ["name": "jenkins"], image: String = "busybox")
        -> [String: Any] {
        [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": name, "labels": labels],
            "spec": ["containers": [["name": "main", "image": image, "ports": [["containerPort": 8080]]]]],
        ]
    }

    static func rc(_ name: String, replicas: Int = 2) -> [String: Any] {
        [
            "apiVersion": "v1", "kind": "ReplicationController",
            "metadata": ["name": name],
            "spec": [
                "replicas": replicas, "selector": ["name": name],
                "template": [
                    "metadata": ["labels": ["name": name]],
                    "spec": ["containers": [["name": "c", "image": "busybox"]]],
                ],
            ],
        ]
    }

    static func service(_ name: String, port: Int = 80, clusterIP: String? = nil) -> [String: Any] {
        var spec: [String: Any] = ["ports": [["port": port]], "selector": ["name": name]]
        if let clusterIP { spec["clusterIP"] = clusterIP }
        return ["apiVersion": "v1", "kind": "Service", "metadata": ["name": name], "spec": spec]
    }
}
