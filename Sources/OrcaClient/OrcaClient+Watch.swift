import AsyncHTTPClient
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import OrcaAPI

/// One change seen by a watch.
public struct WatchEvent<T: APIObject>: Sendable {
    /// What happened to ``object``.
    public enum EventType: String, Sendable, Equatable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
    }

    public var type: EventType
    /// The object after the change (for `deleted`, its last state).
    public var object: T

    public init(type: EventType, object: T) {
        self.type = type
        self.object = object
    }
}

extension OrcaClient {
    /// Streams the changes of a kind from `resourceVersion` on (`GET ...?watch=true`).
    ///
    /// Without `resourceVersion` the server first sends every current object as `added`. The
    /// stream finishes when the server ends the watch (its timeout) and throws `APIError` for an
    /// `ERROR` line: `.gone` (410) means the version was compacted, so list again and watch from
    /// the list's `resourceVersion`. Cancelling the consuming task closes the connection.
    public func watch<T: APIObject>(
        _ type: T.Type, namespace: String? = nil, labelSelector: String? = nil, fieldSelector: String? = nil,
        resourceVersion: String? = nil, timeoutSeconds: Int? = nil
    ) -> AsyncThrowingStream<WatchEvent<T>, any Error> {
        let path = APIPath.v1(T.self, namespace: namespace) + APIPath.query([
            ("watch", "true"),
            ("resourceVersion", resourceVersion.flatMap { $0.isEmpty ? nil : $0 }),
            ("labelSelector", labelSelector.flatMap { $0.isEmpty ? nil : $0 }),
            ("fieldSelector", fieldSelector.flatMap { $0.isEmpty ? nil : $0 }),
            ("timeoutSeconds", timeoutSeconds.map(String.init)),
        ])
        let (stream, continuation) = AsyncThrowingStream<WatchEvent<T>, any Error>.makeStream()
        let reader = Task {
            do {
                try await streamEvents(T.self, path: path) { continuation.yield($0) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in reader.cancel() }
        return stream
    }

    private func streamEvents<T: APIObject>(
        _ type: T.Type, path: String, yield: (WatchEvent<T>) -> Void
    ) async throws {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .init(rawValue: "GET")
        request.headers.add(name: "Accept", value: "application/json")
        let response: HTTPClientResponse
        do {
            // A watch lives until the server ends it or the consumer cancels.
            response = try await http.execute(request, deadline: .distantFuture)
        } catch let error as CancellationError {
            throw error
        } catch {
            throw OrcaClientError.transport(error, master: baseURL)
        }
        let status = Int(response.status.code)
        configuration.onResponse?("GET", baseURL + path, status)
        guard (200..<300).contains(status) else {
            let body = try await response.body.collect(upTo: configuration.maxResponseBytes)
            throw Self.apiError(status: status, body: Data(body.readableBytesView))
        }
        // The start of a line whose end has not arrived yet.
        var pending = Data()
        do {
            for try await chunk in response.body {
                // Whole lines are decoded straight from the chunk's bytes; only a partial line is kept.
                try chunk.withUnsafeReadableBytes { bytes in
                    var start = 0
                    while let newline = bytes[start...].firstIndex(of: 0x0A) {
                        let line: Data
                        if pending.isEmpty {
                            line = Data(bytes[start..<newline])
                        } else {
                            pending.append(contentsOf: bytes[start..<newline])
                            line = pending
                            pending = Data()
                        }
                        if let event = try Self.watchEvent(T.self, line: line) { yield(event) }
                        start = newline + 1
                    }
                    if start < bytes.count { pending.append(contentsOf: bytes[start...]) }
                }
                guard pending.count <= configuration.maxResponseBytes else {
                    throw OrcaClientError.undecodable(
                        "a watch event is larger than \(configuration.maxResponseBytes) bytes")
                }
            }
        } catch let error as APIError {
            throw error
        } catch let error as OrcaClientError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            throw OrcaClientError.transport(error, master: baseURL)
        }
        if let event = try Self.watchEvent(T.self, line: pending) { yield(event) }
    }

    /// Decodes one line of a watch stream; nil for a blank line or an event type this client
    /// does not know (`BOOKMARK`). An `ERROR` line is thrown as the `APIError` it carries.
    public static func watchEvent<T: APIObject>(_ type: T.Type, line: Data) throws -> WatchEvent<T>? {
        guard line.contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 }) else { return nil }
        // Pods' lines are read by hand (FastJSON); an ERROR or unknown type takes the Codable path.
        if let fast = FastJSON.decodeWatchLine(T.self, from: line),
           let eventType = WatchEvent<T>.EventType(rawValue: fast.type) {
            return WatchEvent(type: eventType, object: fast.object)
        }
        // One parse: the line's type decides how its object is decoded.
        switch try decode(WatchLine<T>.self, from: line).content {
        case .event(let eventType, let object):
            return WatchEvent(type: eventType, object: object)
        case .error(let status):
            throw APIError(status: status, httpCode: status.code ?? 500)
        case .unknown:
            return nil
        }
    }
}

/// One line of a watch stream, its object decoded as its type says.
private struct WatchLine<Object: APIObject>: Decodable {
    enum Content {
        case event(WatchEvent<Object>.EventType, Object)
        case error(Status)
        /// A type this client does not know (`BOOKMARK`): its object is not read.
        case unknown
    }

    var content: Content

    private enum Keys: String, CodingKey {
        case type, object
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let type = try c.decode(String.self, forKey: .type)
        if type == "ERROR" {
            content = .error(try c.decode(Status.self, forKey: .object))
        } else if let eventType = WatchEvent<Object>.EventType(rawValue: type) {
            content = .event(eventType, try c.decode(Object.self, forKey: .object))
        } else {
            content = .unknown
        }
    }
}
