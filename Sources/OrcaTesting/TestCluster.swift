import Logging
import OrcaAPI
import OrcaAPIServer
import OrcaClient
import OrcaMaster
import ServiceLifecycle

/// A whole cluster in this process: a real API server (``LocalMaster``), the master's real
/// control loops (``ControlPlane``), and hollow minions, all talking HTTP on loopback.
///
/// ```swift
/// try await TestCluster.with(minions: 3) { cluster in
///     _ = try await cluster.client.create(rc)
///     try await cluster.waitFor("3 running pods") { try await cluster.runningPods().count == 3 }
/// }
/// ```
public struct TestCluster: Sendable {
    public let master: LocalMaster
    public let minions: HollowMinions

    public var client: OrcaClient { master.client }

    /// Timings shortened for tests: minions heartbeat every second and are lost after 3 s.
    public static var fastControlPlane: ControlPlane.Configuration {
        var configuration = ControlPlane.Configuration()
        configuration.minionGrace = .seconds(3)
        configuration.podEvictionTimeout = .seconds(1)
        return configuration
    }

    /// Starts a master, its control loops and `count` hollow minions, waits until every minion
    /// is registered, runs `body`, then stops everything.
    public static func with<T: Sendable>(
        minions count: Int,
        controlPlane: ControlPlane.Configuration = fastControlPlane,
        configure: @Sendable (inout HollowMinions.Configuration) -> Void = { _ in },
        _ body: @Sendable (TestCluster) async throws -> T
    ) async throws -> T {
        try await LocalMaster.withMaster { master in
            var hollow = HollowMinions.Configuration(count: count)
            hollow.heartbeatInterval = .seconds(1)
            configure(&hollow)
            let logger = quietLogger("orca.test-cluster")
            let minions = HollowMinions(client: master.client, configuration: hollow, logger: logger)
            let loops = ControlPlane(client: master.client, configuration: controlPlane, logger: logger)
            let cluster = TestCluster(master: master, minions: minions)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                for service in loops.services + [minions] {
                    group.addTask { try await service.run() }
                }
                defer { group.cancelAll() }
                try await cluster.waitFor("\(count) minions registered and Ready") {
                    let nodes = try await master.client.list(Node.self).items
                    return nodes.count == count && nodes.allSatisfy(\.isReady)
                }
                return try await body(cluster)
            }
        }
    }

    /// Polls `condition` every 20 ms until it holds; throws naming `what` after `timeout`.
    public func waitFor(_ what: String, timeout: Duration = .seconds(30),
                        _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        var lastError: (any Error)?
        while ContinuousClock.now < deadline {
            do {
                if try await condition() { return }
            } catch {
                lastError = error
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestClusterError.timedOut(what, lastError: lastError.map { "\($0)" })
    }

    /// Pods in `namespace` matching `selector` (all when nil).
    public func pods(_ selector: String? = nil, namespace: String = "default") async throws -> [Pod] {
        try await client.list(Pod.self, namespace: namespace, labelSelector: selector).items
    }

    /// Pods that are Running on a minion.
    public func runningPods(_ selector: String? = nil, namespace: String = "default") async throws -> [Pod] {
        try await pods(selector, namespace: namespace).filter {
            $0.status?.phase == .running && !($0.spec?.nodeName ?? "").isEmpty
        }
    }

    static func quietLogger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = .warning
        return logger
    }
}

public enum TestClusterError: Error, CustomStringConvertible {
    case timedOut(String, lastError: String?)

    public var description: String {
        switch self {
        case .timedOut(let what, let lastError):
            "timed out waiting for \(what)" + (lastError.map { " (last error: \($0))" } ?? "")
        }
    }
}

extension Node {
    /// The `Ready` condition is `True`.
    public var isReady: Bool {
        status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } ?? false
    }
}
