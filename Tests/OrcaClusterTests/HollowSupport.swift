import Logging
import OrcaAPI
import OrcaClient
import OrcaTesting
import Testing

/// Helpers of the hollow minion tests.
enum Hollow {
    static func logger() -> Logger {
        var logger = Logger(label: "test.hollow")
        logger.logLevel = .error
        return logger
    }

    /// Hollow minions heartbeating every `interval`, named `hollow-0`, ...
    static func minions(_ master: LocalMaster, count: Int, interval: Duration = .milliseconds(500),
                        configure: (inout HollowMinions.Configuration) -> Void = { _ in }) -> HollowMinions {
        var configuration = HollowMinions.Configuration(count: count)
        configuration.heartbeatInterval = interval
        configure(&configuration)
        return HollowMinions(client: master.client, configuration: configuration, logger: logger())
    }

    /// Runs `service` in a child task while `body` runs, then cancels it.
    static func running<T: Sendable>(_ service: some ServiceLifecycleService,
                                     _ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    static func pod(_ name: String, containers: [String] = ["web"]) -> Pod {
        Pod(metadata: ObjectMeta(name: name, namespace: "default"),
            spec: PodSpec(containers: containers.map { Container(name: $0, image: "busybox") }))
    }

    static func readyCondition(_ node: Node) -> NodeCondition? {
        node.status?.conditions?.first { $0.type == "Ready" }
    }

    /// Whether dotted-quad `ip` lies in `cidr`.
    static func contains(_ cidr: String, _ ip: String) -> Bool {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let base = address(String(parts[0])), let length = UInt32(parts[1]),
              let value = address(ip) else { return false }
        let mask: UInt32 = length == 0 ? 0 : UInt32.max << (32 - length)
        return value & mask == base & mask
    }

    static func address(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".").compactMap { UInt8($0) }
        guard octets.count == 4 else { return nil }
        return octets.reduce(0) { $0 << 8 | UInt32($1) }
    }
}

/// `ServiceLifecycle.Service` without importing ServiceLifecycle into every test file.
protocol ServiceLifecycleService: Sendable {
    func run() async throws
}

extension HollowMinions: ServiceLifecycleService {}
extension HollowMinion: ServiceLifecycleService {}

/// Polls `condition` until it holds; records an issue naming `what` and throws after `timeout`.
func hollowEventually(_ what: String, timeout: Duration = .seconds(15),
                      _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    var lastError: (any Error)?
    while true {
        do {
            if try await condition() { return }
        } catch {
            lastError = error
        }
        guard ContinuousClock.now < deadline else {
            let cause = lastError.map { " (last error: \($0))" } ?? ""
            Issue.record("timed out after \(timeout) waiting until \(what)\(cause)")
            throw HollowTimeout(what: what)
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}

struct HollowTimeout: Error {
    var what: String
}
