import OrcaAPI
import Testing
@testable import OrcaScheduler
import OrcaTesting

/// Random clusters from seeded generators, pods scheduled one by one with assume, every
/// decision checked against a brute-force oracle written independently of the predicates.
@Suite struct SchedulingPropertyTests {
    static let seeds: [UInt64] = Array(1...300)

    @Test(arguments: seeds)
    func decisionsAgreeWithTheOracle(seed: UInt64) {
        _ = Self.run(seed: seed)
    }

    /// The generator reaches every predicate: the checks above are not vacuous.
    @Test func theRandomClustersExerciseEveryVerdict() {
        var verdicts: [String: Int] = [:]
        for seed in Self.seeds { verdicts.merge(Self.run(seed: seed)) { $0 + $1 } }
        for kind in ["bind", "not ready", "marked unschedulable", "not matching nodeSelector", "hostPort",
                     "insufficient cpu", "insufficient memory", "no minions registered"] {
            #expect(verdicts[kind, default: 0] >= 5, "only \(verdicts[kind, default: 0]) verdicts with \(kind)")
        }
    }

    /// Schedules a random cluster's pods one by one, checking each decision; returns how many
    /// binds there were and how often each reason appeared in unschedulable verdicts.
    static func run(seed: UInt64) -> [String: Int] {
        var verdicts: [String: Int] = [:]
        var rng = SplitMix64(seed: seed)
        var cluster = RandomCluster(rng: &rng)
        var snapshot = ClusterSnapshot(minions: cluster.nodes.values.sorted { $0.metadata.name! < $1.metadata.name! })
        for (selector, name) in cluster.serviceSelectors {
            snapshot.setSpreadSelector(selector, kind: "Service", namespace: "default", name: name)
        }
        let podCount = Int.random(in: 1...80, using: &rng)
        for index in 0..<podCount {
            let pod = cluster.randomPod(index: index, rng: &rng)
            let decision = schedule(pod: pod, snapshot: snapshot)
            switch decision {
            case .bind(let minion):
                verdicts["bind", default: 0] += 1
                let failure = cluster.oracleFailure(pod, on: minion)
                #expect(failure == nil,
                        "seed \(seed): \(pod.metadata.name!) bound to \(minion) that fails: \(failure ?? "")")
                snapshot.assume(pod: pod, on: minion)
                cluster.place(pod, on: minion)
            case .unschedulable(let reason):
                for kind in ["not ready", "marked unschedulable", "not matching nodeSelector", "hostPort",
                             "insufficient cpu", "insufficient memory", "no minions registered"]
                where reason.contains(kind) {
                    verdicts[kind, default: 0] += 1
                }
                let feasible = cluster.nodes.keys.filter { cluster.oracleFailure(pod, on: $0) == nil }
                #expect(feasible.isEmpty, "seed \(seed): unschedulable but \(feasible) fit")
                #expect(reason == cluster.oracleReason(pod), "seed \(seed)")
            }
            cluster.churn(&snapshot, rng: &rng)
        }
        #expect(cluster.invariantViolations() == [], "seed \(seed)")
        #expect(snapshot.checkConsistency() == [], "seed \(seed)")
        return verdicts
    }
}

/// A random cluster and the pods placed on it, as plain API objects (the oracle's truth).
struct RandomCluster {
    var nodes: [String: Node] = [:]
    var placed: [String: (pod: Pod, minion: String)] = [:]
    /// Which pods were placed while the minion was ready (for the invariants).
    var placedOnReady: [String: Bool] = [:]
    var serviceSelectors: [([String: String], String)] = []

    init(rng: inout SplitMix64) {
        let count = Int.random(in: 0...10, using: &rng)
        for index in 0..<count {
            let name = "m\(index)"
            var labels: [String: String] = [:]
            if rng.chance(0.5) { labels["disk"] = rng.pick(["ssd", "hdd"]) }
            if rng.chance(0.5) { labels["zone"] = rng.pick(["a", "b"]) }
            var node = Fixtures.node(
                name, cpu: rng.pick([nil, "500m", "1", "2", "4"]), memory: rng.pick([nil, "512Mi", "1Gi", "4Gi"]),
                ready: rng.chance(0.8), unschedulable: rng.chance(0.1), labels: labels)
            if rng.chance(0.2) { node.status?.allocatable = ["cpu": Quantity(rng.pick(["250m", "1"]))!] }
            if rng.chance(0.05) { node.status?.conditions = nil }
            nodes[name] = node
        }
        if rng.chance(0.5) { serviceSelectors.append((["app": "web"], "web")) }
    }

    mutating func randomPod(index: Int, rng: inout SplitMix64) -> Pod {
        let ports = [HostPort(port: 80), HostPort(port: 8080), HostPort(port: 53, protocol: .udp), HostPort(port: 53)]
        var hostPorts: [HostPort] = []
        for _ in 0..<rng.pick([0, 0, 0, 1, 2]) {
            let port = rng.pick(ports)
            if !hostPorts.contains(port) { hostPorts.append(port) }
        }
        var selector: [String: String]?
        if rng.chance(0.25) { selector = rng.chance(0.5) ? ["disk": "ssd"] : ["zone": rng.pick(["a", "b"])] }
        return Fixtures.pod(
            "p\(index)", cpu: rng.pick([nil, "100m", "250m", "500m", "1", "2"]),
            memory: rng.pick([nil, "64Mi", "256Mi", "1Gi"]), limitsOnly: rng.chance(0.2), hostPorts: hostPorts,
            nodeSelector: selector, labels: rng.chance(0.5) ? ["app": "web"] : ["app": "db"],
            owner: rng.chance(0.4) ? rng.pick(["rc-a", "rc-b"]) : nil, containers: rng.pick([1, 1, 2]))
    }

    mutating func place(_ pod: Pod, on minion: String) {
        placed[pod.metadata.name!] = (pod, minion)
        placedOnReady[pod.metadata.name!] = Self.ready(nodes[minion]!)
    }

    /// Random changes between decisions: a minion flips readiness, a placed pod is deleted, an
    /// assumed binding is confirmed by the informer, or fails and is forgotten.
    mutating func churn(_ snapshot: inout ClusterSnapshot, rng: inout SplitMix64) {
        if rng.chance(0.1), let name = nodes.keys.sorted().randomElement(using: &rng) {
            let ready = !Self.ready(nodes[name]!)
            nodes[name]!.status?.conditions = [NodeCondition(type: "Ready", status: ready ? "True" : "False")]
            snapshot.update(minion: nodes[name]!)
        }
        if rng.chance(0.1), let name = placed.keys.sorted().randomElement(using: &rng) {
            placed[name] = nil
            snapshot.remove(podWithKey: "default/\(name)")
        }
        if rng.chance(0.3), let name = placed.keys.sorted().randomElement(using: &rng) {
            var pod = placed[name]!.pod
            pod.spec?.nodeName = placed[name]!.minion
            pod.status?.phase = .running
            snapshot.update(pod: pod)
        }
        if rng.chance(0.05), let name = placed.keys.sorted().randomElement(using: &rng) {
            if snapshot.forget(assumedPodWithKey: "default/\(name)") { placed[name] = nil }
        }
    }

    // MARK: The oracle: each rule straight from the API objects.

    static func ready(_ node: Node) -> Bool {
        node.status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } == true
    }

    static func ports(_ pod: Pod) -> [HostPort] {
        var result: [HostPort] = []
        for container in pod.spec!.containers {
            for port in container.ports ?? [] where (port.hostPort ?? 0) > 0 {
                let hostPort = HostPort(port: port.hostPort!, protocol: port.protocol ?? .tcp)
                if !result.contains(hostPort) { result.append(hostPort) }
            }
        }
        return result
    }

    /// Millicores or bytes a pod asks for (requests, else limits).
    static func request(_ pod: Pod, _ resource: String) -> Int64 {
        pod.spec!.containers.reduce(0) { sum, container in
            let quantity = container.resources?.requests?[resource] ?? container.resources?.limits?[resource]
            return sum + (resource == "cpu" ? quantity?.milliValue ?? 0 : quantity?.value ?? 0)
        }
    }

    static func allocatable(_ node: Node, _ resource: String) -> Int64 {
        let quantity = node.status?.allocatable?[resource] ?? node.status?.capacity?[resource]
        return resource == "cpu" ? quantity?.milliValue ?? 0 : quantity?.value ?? 0
    }

    func podsOn(_ minion: String) -> [Pod] { placed.values.filter { $0.minion == minion }.map(\.pod) }

    /// The first rule `pod` breaks on `minion`, worded as the scheduler words it; nil if it fits.
    func oracleFailure(_ pod: Pod, on minion: String) -> String? {
        let node = nodes[minion]!
        if !Self.ready(node) { return "not ready" }
        if node.spec?.unschedulable == true { return "marked unschedulable" }
        for (key, value) in pod.spec?.nodeSelector ?? [:] where node.metadata.labels?[key] != value {
            return "not matching nodeSelector"
        }
        let used = Set(podsOn(minion).flatMap(Self.ports))
        for port in Self.ports(pod) where used.contains(port) { return "hostPort \(port) in use" }
        for resource in ["cpu", "memory"] {
            let asked = Self.request(pod, resource)
            let offered = Self.allocatable(node, resource)
            let taken = podsOn(minion).reduce(0) { $0 + Self.request($1, resource) }
            if asked > 0 && offered > 0 && taken + asked > offered { return "insufficient \(resource)" }
        }
        return nil
    }

    func oracleReason(_ pod: Pod) -> String {
        if nodes.isEmpty { return "0/0 minions available: no minions registered" }
        var counts: [String: Int] = [:]
        for name in nodes.keys { counts[oracleFailure(pod, on: name)!, default: 0] += 1 }
        let order = ["not ready", "marked unschedulable", "not matching nodeSelector"]
        func rank(_ text: String) -> (Int, Int, String) {
            if let index = order.firstIndex(of: text) { return (index, 0, "") }
            if text.hasPrefix("hostPort") {
                let port = text.split(separator: " ")[1].split(separator: "/")
                return (3, Int(port[0])!, port.count > 1 ? String(port[1]) : "TCP")
            }
            return (text == "insufficient cpu" ? 4 : 5, 0, "")
        }
        let parts = counts.sorted { rank($0.key) < rank($1.key) }.map { "\($0.value) \($0.key)" }
        return "0/\(nodes.count) minions available: " + parts.joined(separator: ", ")
    }

    /// Over every minion: no host port twice, no limited resource over its allocatable amount,
    /// no pod placed while its minion was not ready.
    func invariantViolations() -> [String] {
        var problems: [String] = []
        for (name, node) in nodes {
            let pods = podsOn(name)
            let ports = pods.flatMap(Self.ports)
            if Set(ports).count != ports.count { problems.append("\(name): a host port twice") }
            for resource in ["cpu", "memory"] {
                let offered = Self.allocatable(node, resource)
                let taken = pods.reduce(0) { $0 + Self.request($1, resource) }
                if offered > 0 && taken > offered { problems.append("\(name): \(resource) over capacity") }
            }
        }
        for (name, ready) in placedOnReady where !ready && placed[name] != nil {
            problems.append("\(name) placed on a minion that was not ready")
        }
        return problems
    }
}
