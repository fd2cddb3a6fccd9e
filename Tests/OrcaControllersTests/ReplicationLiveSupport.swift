import Logging
import OrcaAPI
import OrcaClient
import OrcaTesting
import ServiceLifecycle

/// Runs one controller service against a real in-process API server (no scheduler, no minions:
/// tests write pod status themselves), for the replication and endpoints live tests.
enum ReplicationLive {
    static func with(
        _ makeService: @escaping @Sendable (OrcaClient) -> any ServiceLifecycle.Service,
        _ body: @Sendable (OrcaClient) async throws -> Void
    ) async throws {
        try await LocalMaster.withMaster { master in
            let client = master.client
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await makeService(client).run() }
                defer { group.cancelAll() }
                try await body(client)
            }
        }
    }

    static var logger: Logger {
        var logger = Logger(label: "orca.controllers.test")
        logger.logLevel = .warning
        return logger
    }

    /// Polls `condition` every 10 ms until it holds; fails naming `what` after `timeout`.
    static func waitFor(_ what: String, timeout: Duration = .seconds(10),
                        _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        var lastError: (any Error)?
        while ContinuousClock.now < deadline {
            do {
                if try await condition() { return }
            } catch {
                lastError = error
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ReplicationLiveTimeout(what: what, lastError: lastError.map { "\($0)" })
    }

    /// Writes a pod's status as a kubelet would: phase, IP, and the Ready condition.
    static func setStatus(_ name: String, client: OrcaClient, phase: PodPhase, ip: String? = nil,
                          ready: Bool = false) async throws {
        var pod = try await client.get(Pod.self, name: name)
        var status = PodStatus(phase: phase)
        status.podIP = ip
        status.conditions = [PodCondition(type: "Ready", status: ready ? "True" : "False")]
        pod.status = status
        _ = try await client.updateStatus(pod)
    }
}

struct ReplicationLiveTimeout: Error, CustomStringConvertible {
    var what: String
    var lastError: String?
    var description: String { "timed out waiting for \(what)" + (lastError.map { " (last error: \($0))" } ?? "") }
}
