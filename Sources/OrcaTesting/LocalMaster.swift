import Foundation
import Logging
import OrcaAPIServer
import OrcaClient
import OrcaStore
import ServiceLifecycle
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A real API server in this process, on `127.0.0.1` and a free port, over an in-memory store
/// (or a given one): the master for in-process cluster tests and benchmarks.
///
/// The simplest use is scoped:
/// ```swift
/// try await LocalMaster.withMaster { master in
///     let nodes = try await master.client.list(Node.self)
/// }
/// ```
/// or, to run it beside other services, ``make(configuration:store:)`` then ``run()`` in a
/// `ServiceGroup` (or a task) and ``waitUntilServing(timeout:)`` before using it. Only the API
/// server and its compactor run here: no scheduler, no controllers.
public struct LocalMaster: ServiceLifecycle.Service {
    /// `http://127.0.0.1:PORT`.
    public let url: String
    public let server: APIServer

    /// A client of this master, over the process-wide HTTP client.
    public var client: OrcaClient { OrcaClient(baseURL: url) }
    public var store: any ObjectStore { server.store }

    /// A quiet configuration (warnings and worse) on 127.0.0.1; the port is chosen by ``make``.
    public static var defaultConfiguration: APIServer.Configuration {
        var configuration = APIServer.Configuration()
        configuration.logger = Logger(label: "orca.apiserver")
        configuration.logger.logLevel = .warning
        return configuration
    }

    /// Builds a master on a port that is free now (another process could take it before
    /// ``run()`` binds it; ``withMaster(configuration:store:_:)`` retries on another port then).
    /// `configuration.host` and `configuration.port` are replaced.
    public static func make(configuration: APIServer.Configuration = defaultConfiguration,
                            store: (any ObjectStore)? = nil) async throws -> LocalMaster {
        var configuration = configuration
        configuration.host = "127.0.0.1"
        configuration.port = try freePort()
        let server = try await APIServer.make(configuration: configuration, store: store ?? InMemoryStore())
        return LocalMaster(url: "http://127.0.0.1:\(configuration.port)", server: server)
    }

    /// Serves the API (and compacts the store) until cancelled or shut down gracefully.
    public func run() async throws {
        try await serviceGroup().run()
    }

    /// The API server and its compactor; a graceful shutdown gives open requests a second.
    private func serviceGroup() -> ServiceGroup {
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: server.application()), .init(service: server.compactor()),
                       .init(service: server.namespaceFinalizer())],
            logger: server.configuration.logger)
        configuration.maximumGracefulShutdownDuration = .seconds(1)
        return ServiceGroup(configuration: configuration)
    }

    /// Returns once `/healthz` answers; throws `LocalMasterError.notServing` after `timeout`.
    public func waitUntilServing(timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            if (try? await client.send(method: "GET", path: "/healthz")) != nil { return }
            guard ContinuousClock.now < deadline else { throw LocalMasterError.notServing(url: url) }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Starts a master, runs `body` with it, and stops the master when `body` returns or throws.
    ///
    /// Stopping cancels the server, which ends open watches: cancel informers and other
    /// watchers inside `body` first. With no `store`, each attempt uses a fresh in-memory store.
    public static func withMaster<T: Sendable>(
        configuration: APIServer.Configuration = defaultConfiguration, store: (any ObjectStore)? = nil,
        _ body: (LocalMaster) async throws -> T
    ) async throws -> T {
        var lastError: any Error = LocalMasterError.notServing(url: "")
        for _ in 0..<5 {
            let master = try await make(configuration: configuration, store: store)
            let services = master.serviceGroup()
            let exit = ServerExit()
            let outcome: Result<T, any Error>? = await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        try await services.run()
                        exit.record(nil)
                    } catch {
                        exit.record(error)
                    }
                }
                let result: Result<T, any Error>?
                switch await master.waitUntilServing(orExited: exit) {
                case .serving:
                    do {
                        result = .success(try await body(master))
                    } catch {
                        result = .failure(error)
                    }
                case .exited(let error):
                    // Most likely the port was taken between choosing and binding it: try another.
                    lastError = error
                    result = nil
                case .failed(let error):
                    result = .failure(error)
                }
                // Stop gracefully (so the server logs no errors); the group cancels what is left.
                await services.triggerGracefulShutdown()
                await group.waitForAll()
                return result
            }
            if let outcome { return try outcome.get() }
        }
        throw lastError
    }

    private enum Startup {
        case serving
        case exited(any Error)
        case failed(any Error)
    }

    private func waitUntilServing(orExited exit: ServerExit) async -> Startup {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            if let error = exit.error { return .exited(error) }
            if (try? await client.send(method: "GET", path: "/healthz")) != nil { return .serving }
            guard ContinuousClock.now < deadline else { return .failed(LocalMasterError.notServing(url: url)) }
            do {
                try await Task.sleep(for: .milliseconds(10))
            } catch {
                return .failed(error)
            }
        }
    }

    /// A TCP port on 127.0.0.1 that nothing listens on now.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

public enum LocalMasterError: Error, CustomStringConvertible {
    case notServing(url: String)

    public var description: String {
        switch self {
        case .notServing(let url): "the local master at \(url) did not start serving"
        }
    }
}

/// How the server task of ``LocalMaster/withMaster(configuration:store:_:)`` ended, if it has.
private final class ServerExit: Sendable {
    private let state = Mutex<(ended: Bool, error: (any Error)?)>((false, nil))

    func record(_ error: (any Error)?) { state.withLock { $0 = (true, error) } }

    /// The error the server ended with; a server that ended without one counts as failed too.
    var error: (any Error)? {
        state.withLock { $0.ended ? ($0.error ?? LocalMasterError.notServing(url: "")) : nil }
    }
}
