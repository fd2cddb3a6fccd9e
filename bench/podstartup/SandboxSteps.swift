import BenchSupport
import Foundation
import OrcaRuntime
import OrcaTesting

/// The kubelet's network step alone: ``PodNetwork/setUp(id:portMappings:)`` (`ip netns add`, CNI
/// loopback, CNI bridge with host-local) in a throwaway minion namespace (``NetworkFixture``).
/// There each plugin runs under `ip netns exec`, one exec more than in `orca minion`, which itself
/// runs inside its namespace: a few milliseconds pessimistic per plugin.
struct SandboxSteps {
    struct Result: Codable, Sendable {
        var sandboxes: Int
        var gate: LoadGate
        var sequential: Distribution
        /// All at once: each setUp's own duration, and the first start -> last end.
        var burst: Distribution
        var burstMakespanMs: Double
        /// `PodNetwork/tearDown(id:)` of the sequential ones, one after the other.
        var tearDown: Distribution
    }

    let options: Options
    let log: @Sendable (String) -> Void

    func run() async throws -> Result {
        let gate = await LoadGate.wait(maxLoad: options.maxLoad, limit: options.loadWaitSeconds, log: log)
        log("steps: \(options.pods) x 2 CNI sandboxes, \(gate.summary)")
        let pods = options.pods
        return try await NetworkFixture.with(podCIDR: "10.244.250.0/24") { fixture in
            let network = fixture.network
            var sequential: [UInt64] = []
            for index in 0..<pods {
                let start = Nanos.now()
                _ = try await network.setUp(id: "seq\(index)")
                sequential.append(Nanos.now() - start)
            }
            var tearDown: [UInt64] = []
            for index in 0..<pods {
                let start = Nanos.now()
                await network.tearDown(id: "seq\(index)")
                tearDown.append(Nanos.now() - start)
            }
            let burstStart = Nanos.now()
            let burst = try await withThrowingTaskGroup(of: UInt64.self) { group in
                for index in 0..<pods {
                    group.addTask {
                        let start = Nanos.now()
                        _ = try await network.setUp(id: "burst\(index)")
                        return Nanos.now() - start
                    }
                }
                return try await group.reduce(into: [UInt64]()) { $0.append($1) }
            }
            let makespan = Nanos.now() - burstStart
            // NetworkFixture tears the burst's sandboxes down with its namespaces.
            return Result(sandboxes: pods, gate: gate, sequential: Distribution(nanos: sequential),
                          burst: Distribution(nanos: burst), burstMakespanMs: Nanos.milliseconds(makespan),
                          tearDown: Distribution(nanos: tearDown))
        }
    }
}
