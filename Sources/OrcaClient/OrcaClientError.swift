import AsyncHTTPClient
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// A failure before or after the master answered: it could not be reached, or its answer
/// could not be read. (What the master refuses is an ``OrcaAPI/APIError``.)
public enum OrcaClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No answer: the connection was refused, timed out, or broke. Retrying may help.
    case unreachable(master: String, reason: String)
    /// The master answered 2xx with a body that is not the expected kind.
    case undecodable(String)

    public var description: String {
        switch self {
        case .unreachable(let master, let reason): "cannot reach the master at \(master): \(reason)"
        case .undecodable(let why): "cannot read the master's answer: \(why)"
        }
    }

    /// Words a user understands for a transport error (`connection refused`, `timed out`).
    static func transport(_ error: any Error, master: String) -> OrcaClientError {
        .unreachable(master: master, reason: reason(error))
    }

    static func reason(_ error: any Error) -> String {
        if let http = error as? HTTPClientError {
            switch http {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timed out"
            case .invalidURL, .emptyHost, .emptyScheme:
                return "not a valid URL (\(http)); use http://HOST:PORT"
            case .remoteConnectionClosed: return "the connection was closed"
            default: break
            }
        }
        // NIO wraps the socket error (`NIOConnectionError` holds one `IOError` per address
        // tried); find the errno without depending on NIOPosix.
        if let io = findIOError(error, depth: 0) {
            return String(cString: strerror(io.errnoCode)).lowercased()
        }
        return String(describing: error)
    }

    private static func findIOError(_ value: Any, depth: Int) -> IOError? {
        if let io = value as? IOError { return io }
        guard depth < 6 else { return nil }
        for child in Mirror(reflecting: value).children {
            if let found = findIOError(child.value, depth: depth + 1) { return found }
        }
        return nil
    }
}
