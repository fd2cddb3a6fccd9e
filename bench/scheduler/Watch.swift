import BenchSupport
import AsyncHTTPClient
import Foundation
import NIOCore

/// The few pod fields the benchmark reads from watch events. Decoding only these (instead of the
/// whole `OrcaAPI.Pod`) keeps the benchmark's share of the two cores small.
struct PodFields: Decodable, Sendable {
    struct Metadata: Decodable, Sendable {
        var name: String?
        var resourceVersion: String?
    }

    struct Spec: Decodable, Sendable {
        var nodeName: String?
    }

    struct Status: Decodable, Sendable {
        var phase: String?
        var reason: String?
    }

    var metadata: Metadata?
    var spec: Spec?
    var status: Status?
}

/// The node fields the benchmark reads: name and the Ready condition.
struct NodeFields: Decodable, Sendable {
    struct Metadata: Decodable, Sendable {
        var name: String?
        var resourceVersion: String?
    }

    struct Condition: Decodable, Sendable {
        var type: String
        var status: String?
        var lastHeartbeatTime: String?
    }

    struct Status: Decodable, Sendable {
        var conditions: [Condition]?
    }

    var metadata: Metadata?
    var status: Status?

    var isReady: Bool {
        status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } ?? false
    }

    var lastHeartbeatTime: String? {
        status?.conditions?.first { $0.type == "Ready" }?.lastHeartbeatTime
    }
}

protocol WatchedFields: Decodable, Sendable {
    var resourceVersion: String? { get }
}

extension PodFields: WatchedFields {
    var resourceVersion: String? { metadata?.resourceVersion }
}

extension NodeFields: WatchedFields {
    var resourceVersion: String? { metadata?.resourceVersion }
}

struct ListFields<Item: Decodable & Sendable>: Decodable, Sendable {
    struct Metadata: Decodable, Sendable {
        var resourceVersion: String?
    }

    var metadata: Metadata?
    var items: [Item]?
}

/// A watch of one collection from a resourceVersion on, reconnecting (from the last version seen)
/// when the server ends the stream, at most `maxReconnects` times. Each event is handed to
/// `handle` with the monotonic time its bytes arrived.
struct WatchStream<Object: WatchedFields>: Sendable {
    enum EventType: String, Sendable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
    }

    private struct Line: Decodable {
        var type: String
        var object: Object?
    }

    private struct ErrorLine: Decodable {
        struct Status: Decodable {
            var code: Int?
            var message: String?
        }

        var object: Status?
    }

    let http: HTTPClient
    /// The collection's URL without a query (`http://127.0.0.1:P/api/v1/namespaces/bench/pods`).
    let url: String
    var maxReconnects = 20

    /// Runs until cancelled (returns then) or until the stream fails for good (throws).
    func run(from resourceVersion: String,
             handle: @Sendable (EventType, Object, UInt64) -> Void) async throws {
        var version = resourceVersion
        var reconnects = 0
        let decoder = JSONDecoder()
        while !Task.isCancelled {
            do {
                try await stream(from: version, decoder: decoder) { type, object, at in
                    if let rv = object.resourceVersion { version = rv }
                    handle(type, object, at)
                }
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                throw BenchError("watch of \(url) from \(version) failed: \(error)")
            }
            if Task.isCancelled { return }
            reconnects += 1
            guard reconnects <= maxReconnects else {
                throw BenchError("watch of \(url) ended \(reconnects) times; giving up")
            }
        }
    }

    private func stream(from version: String, decoder: JSONDecoder,
                        handle: (EventType, Object, UInt64) -> Void) async throws {
        var request = HTTPClientRequest(url: url + "?watch=true&resourceVersion=\(version)")
        request.headers.add(name: "Accept", value: "application/json")
        let response = try await http.execute(request, deadline: .distantFuture)
        guard response.status.code == 200 else {
            let body = try await response.body.collect(upTo: 1 << 20)
            throw BenchError("HTTP \(response.status.code): \(String(buffer: body))")
        }
        var pending: [UInt8] = []
        for try await chunk in response.body {
            let arrived = Nanos.now()
            pending.append(contentsOf: chunk.readableBytesView)
            var start = 0
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                if newline > start {
                    try decodeLine(Data(pending[start..<newline]), decoder: decoder, at: arrived, handle: handle)
                }
                start = newline + 1
            }
            if start > 0 { pending.removeFirst(start) }
        }
    }

    private func decodeLine(_ data: Data, decoder: JSONDecoder, at arrived: UInt64,
                            handle: (EventType, Object, UInt64) -> Void) throws {
        let line = try decoder.decode(Line.self, from: data)
        if line.type == "ERROR" {
            let status = try? decoder.decode(ErrorLine.self, from: data).object
            throw BenchError("watch ERROR \(status?.code ?? 0): \(status?.message ?? "")")
        }
        guard let type = EventType(rawValue: line.type), let object = line.object else { return }
        handle(type, object, arrived)
    }
}

/// Plain GETs and POSTs of JSON bodies over the shared HTTPClient.
struct HTTP: Sendable {
    let client: HTTPClient
    let base: String

    func get(_ path: String, timeout: Int64 = 30) async throws -> Data {
        let response = try await client.execute(HTTPClientRequest(url: base + path),
                                                deadline: .now() + .seconds(timeout))
        let body = try await response.body.collect(upTo: 256 << 20)
        guard response.status.code == 200 else {
            throw BenchError("GET \(path): HTTP \(response.status.code): \(String(buffer: body).prefix(300))")
        }
        return Data(body.readableBytesView)
    }

    func decode<T: Decodable>(_ type: T.Type, _ path: String) async throws -> T {
        try JSONDecoder().decode(T.self, from: try await get(path))
    }

    /// The store's current revision: the resourceVersion of a list of an empty namespace.
    func revision() async throws -> Int64 {
        let list = try await decode(ListFields<PodFields>.self, "/api/v1/namespaces/orca-bench-probe/pods?limit=1")
        guard let text = list.metadata?.resourceVersion, let revision = Int64(text) else {
            throw BenchError("a list answered without a resourceVersion")
        }
        return revision
    }

    /// The nodes and whether each is Ready.
    func nodes() async throws -> [NodeFields] {
        try await decode(ListFields<NodeFields>.self, "/api/v1/nodes").items ?? []
    }
}
