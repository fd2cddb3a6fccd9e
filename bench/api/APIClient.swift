import AsyncHTTPClient
import NIOCore

/// Requests to the master over a shared AsyncHTTPClient (keep-alive connections from its pool).
struct APIClient: Sendable {
    enum Method: Sendable {
        case get, post, put
    }

    struct Reply: Sendable {
        let status: UInt
        let body: ByteBuffer
    }

    let http: HTTPClient
    let base: String

    /// An HTTPClient whose pool keeps up to `connections` keep-alive connections to the one host.
    static func makeHTTPClient(connections: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(120),
                                             concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        configuration.timeout = .init(connect: .seconds(10))
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// Sends one request and reads the whole response (at most 16 MiB), within 30 s.
    func send(_ method: Method, _ path: String, json: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: base + path)
        switch method {
        case .get: request.method = .GET
        case .post: request.method = .POST
        case .put: request.method = .PUT
        }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await http.execute(request, deadline: .now() + .seconds(30))
        let body = try await response.body.collect(upTo: 16 << 20)
        return Reply(status: response.status.code, body: body)
    }
}

/// Pod bodies and the few fields the benchmark reads back, without a JSON decoder on the hot path
/// (the clients share the machine's two cores with the master).
enum PodJSON {
    /// A pod whose label `bench-write` is `w<write>`: which write of the benchmark made this version.
    static func pod(name: String, namespace: String, write: Int = 0, resourceVersion: Int64? = nil) -> String {
        let version = resourceVersion.map { ",\"resourceVersion\":\"\($0)\"" } ?? ""
        return """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"\(name)","namespace":"\(namespace)"\(version),\
            "labels":{"app":"bench","bench-write":"w\(write)"}},"spec":{"containers":[{"name":"web",\
            "image":"nginx:1.25","ports":[{"containerPort":80,"protocol":"TCP"}]}],"restartPolicy":"Always"}}
            """
    }

    private static let resourceVersionKey = Array(#""resourceVersion":""#.utf8)
    private static let errorType = Array(#""type":"ERROR""#.utf8)
    private static let writeLabel = Array(#""bench-write":"w"#.utf8)

    /// The first `"resourceVersion":"N"` in the bytes: an object's own (keys are sorted, `metadata` comes
    /// before anything else that could hold one).
    static func resourceVersion(_ bytes: some Collection<UInt8>) -> Int64? {
        number(after: resourceVersionKey, in: Array(bytes))
    }

    /// The `bench-write` label's number: which write made this version of the pod.
    static func write(_ line: [UInt8]) -> Int? {
        number(after: writeLabel, in: line).map { Int($0) }
    }

    private static func number(after key: [UInt8], in array: [UInt8]) -> Int64? {
        guard let start = find(key, in: array) else { return nil }
        var index = start + key.count
        var value: Int64 = 0
        var digits = 0
        while index < array.count, array[index] >= 0x30, array[index] <= 0x39 {
            value = value * 10 + Int64(array[index] - 0x30)
            digits += 1
            index += 1
        }
        return digits > 0 ? value : nil
    }

    static func isError(_ line: [UInt8]) -> Bool { find(errorType, in: line) != nil }

    static func resourceVersion(_ buffer: ByteBuffer) -> Int64? { resourceVersion(buffer.readableBytesView) }

    private static let listMetadata = Array(#""metadata":{"#.utf8)

    /// A list's own resourceVersion: in its top-level `metadata`, which sorted keys put after `items`.
    static func listRevision(_ buffer: ByteBuffer) -> Int64? {
        let bytes = Array(buffer.readableBytesView)
        guard let last = lastIndex(of: listMetadata, in: bytes) else { return nil }
        return number(after: resourceVersionKey, in: Array(bytes[last...]))
    }

    private static func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = haystack.count - needle.count
        while index >= 0 {
            if haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index -= 1
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count, let first = needle.first else { return nil }
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var match = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    match = false
                    break
                }
                if match { return index }
            }
            index += 1
        }
        return nil
    }
}
