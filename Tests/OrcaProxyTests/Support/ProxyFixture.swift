import Logging
import OrcaProxy

/// A logger for code under test that says only what is critical (tests assert; they do not read logs).
let quietLogger: Logger = {
    var logger = Logger(label: "orca.proxy.test")
    logger.logLevel = .critical
    return logger
}()

/// Runs `body` with a fresh proxy and shuts it down afterwards, also when `body` throws, so no
/// listener or connection outlives the test.
func withProxy<T: Sendable>(configuration: ServiceProxy.Configuration = .init(),
                            _ body: (ServiceProxy) async throws -> T) async throws -> T {
    let proxy = ServiceProxy(configuration: configuration, logger: quietLogger)
    do {
        let value = try await body(proxy)
        await proxy.shutdown()
        return value
    } catch {
        await proxy.shutdown()
        throw error
    }
}

/// Runs `body` with backends, closing them afterwards, also when `body` throws.
func withBackends<T: Sendable>(_ backends: [TestBackend], _ body: () async throws -> T) async throws -> T {
    do {
        let value = try await body()
        for backend in backends { await backend.close() }
        return value
    } catch {
        for backend in backends { await backend.close() }
        throw error
    }
}

extension ProxyRule {
    /// A TCP rule named `name` on `ip:port` over `backends`.
    static func test(_ name: String, _ ip: String, _ port: Int, _ backends: [TestBackend],
                     protocol proto: TransportProtocol = .tcp, affinity: SessionAffinity = .none) -> ProxyRule {
        ProxyRule(name: name, serviceIP: ip, port: port, protocol: proto, sessionAffinity: affinity,
                  endpoints: backends.map { Endpoint(ip: $0.host, port: $0.port) })
    }
}

/// How many times each answer came back.
func tally(_ answers: [String]) -> [String: Int] {
    answers.reduce(into: [:]) { $0[$1, default: 0] += 1 }
}
