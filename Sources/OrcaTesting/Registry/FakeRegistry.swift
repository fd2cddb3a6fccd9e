import Foundation
import OrcaRuntime
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A minimal distribution-API server over an OCI layout, for what the real registry cannot
/// be made to do in a test: Docker Hub's bearer-token flow, and flipping bytes of a blob
/// in transit. Serves `GET /v2/`, `/v2/<any name>/manifests/<tag or digest>` (tags from
/// the layout's `org.opencontainers.image.ref.name`), `/v2/<any name>/blobs/<digest>`, and
/// `/token`, one request per connection, on a thread of its own.
///
/// With ``Options/requireToken``, `/v2/` requests without `Authorization: Bearer <token>`
/// get 401 and `WWW-Authenticate: Bearer realm="http://HOST/token",service="fake-registry",
/// scope="repository:<name>:pull"`, and `/token` hands out the token for that scope.
public final class FakeRegistry: Sendable {
    public struct Options: Sendable {
        public var requireToken = false
        /// Blobs served with one byte flipped.
        public var corrupt: Set<Digest> = []
        /// Blob requests are answered 307 to `http://localhost:PORT/storage/<digest>` (another
        /// host name for the same server, needing no token), as Docker Hub sends blobs to a CDN.
        public var redirectBlobs = false

        public init(requireToken: Bool = false, corrupt: Set<Digest> = [], redirectBlobs: Bool = false) {
            self.requireToken = requireToken
            self.corrupt = corrupt
            self.redirectBlobs = redirectBlobs
        }
    }

    /// One request as the server saw it.
    public struct Request: Sendable, Equatable {
        public var path: String
        public var authorization: String?
    }

    /// `127.0.0.1:PORT`.
    public let host: String
    public let layout: URL
    private let options: Options
    private let listener: Int32
    private let log = Mutex<[Request]>([])
    private let done = Mutex<Bool>(false)

    /// Starts serving `layout`. Call ``stop()`` when done.
    public init(layout: URL, options: Options = Options()) throws {
        self.layout = layout
        self.options = options
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FixtureError("socket: \(errno)") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = LoopbackHTTP.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw FixtureError("cannot listen on loopback: \(errno)")
        }
        listener = fd
        host = "127.0.0.1:\(UInt16(bigEndian: address.sin_port))"
        let thread = Thread { [self] in serve() }
        thread.name = "fake-registry"
        thread.start()
    }

    /// Every request served so far.
    public var requests: [Request] { log.withLock { $0 } }

    /// Stops accepting; the serving thread ends.
    public func stop() {
        let first = done.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    deinit { stop() }

    private func serve() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                return
            }
            handle(connection)
            close(connection)
        }
    }

    private func handle(_ connection: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !head.ends(with: Array("\r\n\r\n".utf8)) && head.count < 65536 {
            let n = recv(connection, &buffer, buffer.count, 0)
            if n <= 0 { return }
            head += buffer[..<n]
        }
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines.first?.split(separator: " ") ?? []
        guard requestLine.count >= 2 else { return }
        let target = String(requestLine[1])
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[line[..<colon].lowercased()] = value
        }
        log.withLock { $0.append(Request(path: target, authorization: headers["authorization"])) }
        let (status, responseHeaders, body) = respond(to: target, authorization: headers["authorization"])
        let reason = [200: "OK", 307: "Temporary Redirect", 401: "Unauthorized", 404: "Not Found"][status] ?? "Error"
        var response = "HTTP/1.1 \(status) \(reason)\r\nConnection: close\r\n"
        response += "Content-Length: \(body.count)\r\n"
        for (name, value) in responseHeaders { response += "\(name): \(value)\r\n" }
        response += "\r\n"
        let bytes = Array(response.utf8) + body
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }

    private func respond(to target: String, authorization: String?) -> (Int, [(String, String)], [UInt8]) {
        let path = target.split(separator: "?").first.map(String.init) ?? target
        if path == "/token" {
            let scope = URLComponents(string: target)?.queryItems?.first { $0.name == "scope" }?.value ?? ""
            return (200, [("Content-Type", "application/json")],
                    Array(#"{"token":"\#(Self.token(for: scope))","expires_in":300}"#.utf8))
        }
        if path.hasPrefix("/storage/"), let digest = Digest(String(path.dropFirst("/storage/".count))),
           let body = try? [UInt8](Data(contentsOf: layout.appendingPathComponent("blobs/sha256/\(digest.hex)"))) {
            return (200, [("Content-Type", "application/octet-stream")], body)
        }
        guard path.hasPrefix("/v2/") else { return (404, [], []) }
        let parts = path.dropFirst(4).split(separator: "/").map(String.init)
        let name = parts.count >= 3 ? parts.dropLast(2).joined(separator: "/") : ""
        if options.requireToken {
            let scope = "repository:\(name):pull"
            guard authorization == "Bearer " + Self.token(for: scope) else {
                let challenge = "Bearer realm=\"http://\(host)/token\",service=\"fake-registry\",scope=\"\(scope)\""
                return (401, [("WWW-Authenticate", challenge), ("Content-Type", "application/json")],
                        Array(#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#.utf8))
            }
        }
        guard parts.count >= 3 else { return (200, [], Array("{}".utf8)) }
        let kind = parts[parts.count - 2]
        let reference = parts[parts.count - 1]
        if kind == "blobs", options.redirectBlobs, let port = host.split(separator: ":").last {
            return (307, [("Location", "http://localhost:\(port)/storage/\(reference)")], [])
        }
        guard let (digest, mediaType) = resolve(reference, manifest: kind == "manifests"),
              var body = try? [UInt8](Data(contentsOf: layout.appendingPathComponent("blobs/sha256/\(digest.hex)")))
        else {
            return (404, [("Content-Type", "application/json")],
                    Array(#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"unknown"}]}"#.utf8))
        }
        if options.corrupt.contains(digest), !body.isEmpty { body[body.count / 2] ^= 0xff }
        return (200, [("Content-Type", mediaType ?? "application/octet-stream"),
                      ("Docker-Content-Digest", digest.description)], body)
    }

    private func resolve(_ reference: String, manifest: Bool) -> (Digest, String?)? {
        if let digest = Digest(reference) {
            guard manifest else { return (digest, nil) }
            let data = try? Data(contentsOf: layout.appendingPathComponent("blobs/sha256/\(digest.hex)"))
            let type = data.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }?["mediaType"]
            return (digest, type as? String ?? MediaType.ociManifest)
        }
        guard manifest, let data = try? Data(contentsOf: layout.appendingPathComponent("index.json")),
              let index = try? JSONDecoder().decode(ImageIndex.self, from: data),
              let entry = index.manifests.first(where: {
                  $0.annotations?["org.opencontainers.image.ref.name"] == reference
              }) else { return nil }
        return (entry.digest, entry.mediaType)
    }

    private static func token(for scope: String) -> String {
        "token-" + Digest.of(Data(scope.utf8)).short
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}
