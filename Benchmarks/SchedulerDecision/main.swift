// The scheduler's in-process decision rate: decisions per second at 1,000 minions with about
// 30 pods bound to each (Benchmarks/SchedulerDecision/README.md). Prints a table; with
// `--json PATH` also writes the figures as JSON.
//
//     swift run -c release bench-scheduler-decision [--minions 1000] [--pods-per-minion 30]
//         [--decisions 20000] [--json out.json]

import Foundation
#if canImport(Glibc)
import Glibc
#endif
import OrcaAPI
import OrcaScheduler

struct Options {
    var minions = 1000
    var podsPerMinion = 30
    var decisions = 20000
    var controllers = 1000
    var json: String?

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let flag = iterator.next() {
            let value = iterator.next()
            switch flag {
            case "--minions": minions = Int(value ?? "") ?? minions
            case "--pods-per-minion": podsPerMinion = Int(value ?? "") ?? podsPerMinion
            case "--decisions": decisions = Int(value ?? "") ?? decisions
            case "--controllers": controllers = Int(value ?? "") ?? controllers
            case "--json": json = value
            default:
                FileHandle.standardError.write(Data("unknown flag \(flag)\n".utf8))
                exit(2)
            }
        }
    }
}

/// Pods as a replication manager makes them: owned by one of `controllers` RCs, asking for
/// 100m CPU and 128Mi memory; every tenth also asks for host port 8000 + (index % 50).
func makePod(_ name: String, controller: Int, index: Int, nodeName: String? = nil,
             nodeSelector: [String: String]? = nil) -> Pod {
    var metadata = ObjectMeta(name: name, namespace: "default", labels: ["app": "rc-\(controller)"])
    metadata.ownerReferences = [OwnerReference(kind: "ReplicationController", name: "rc-\(controller)",
                                               uid: "uid-rc-\(controller)")]
    metadata.resourceVersion = "\(index + 1)"
    let ports = index % 10 == 0 ? [ContainerPort(containerPort: 80, hostPort: 8000 + index % 50)] : nil
    let container = Container(
        name: "app", image: "busybox", ports: ports,
        resources: ResourceRequirements(requests: ["cpu": Quantity("100m")!, "memory": Quantity("128Mi")!]))
    return Pod(metadata: metadata, spec: PodSpec(containers: [container], nodeSelector: nodeSelector,
                                                  nodeName: nodeName),
               status: PodStatus(phase: nodeName == nil ? .pending : .running))
}

func makeNode(_ index: Int) -> Node {
    Node(metadata: ObjectMeta(name: "minion-\(index)", labels: ["zone": "zone-\(index % 4)"]),
         status: NodeStatus(
            capacity: ["cpu": Quantity("16")!, "memory": Quantity("64Gi")!],
            conditions: [NodeCondition(type: "Ready", status: index % 100 == 99 ? "False" : "True")]))
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// CPU time of this thread: on a shared machine, the rate per CPU-second is the steadier figure.
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

struct Result {
    var name: String
    var decisions: Int
    var seconds: Double
    var cpuSeconds: Double
    var p50: Double
    var p99: Double
    var perSecond: Double { Double(decisions) / seconds }
    var perCPUSecond: Double { Double(decisions) / cpuSeconds }
}

/// Runs `decisions` decisions on a copy of `base`; with `assume`, each placement is assumed as the
/// scheduler's loop does, so the cluster fills up as it goes.
func run(_ name: String, base: ClusterSnapshot, pods: [Pod], assume: Bool) -> Result {
    var snapshot = base
    var latencies: [Double] = []
    latencies.reserveCapacity(pods.count)
    let clock = ContinuousClock()
    var bound = 0
    let start = clock.now
    let cpuStart = threadCPUSeconds()
    for pod in pods {
        let before = clock.now
        let decision = schedule(pod: pod, snapshot: snapshot)
        if case .bind(let minion) = decision {
            bound += 1
            if assume { snapshot.assume(pod: pod, on: minion) }
        }
        latencies.append(seconds(clock.now - before))
    }
    let total = seconds(clock.now - start)
    let cpu = threadCPUSeconds() - cpuStart
    latencies.sort()
    precondition(bound > 0, "\(name): nothing was bound")
    return Result(name: name, decisions: pods.count, seconds: total, cpuSeconds: cpu,
                  p50: latencies[latencies.count / 2], p99: latencies[latencies.count * 99 / 100])
}

let options = Options(CommandLine.arguments)
let clock = ContinuousClock()

var snapshot = ClusterSnapshot()
for index in 0..<options.minions { snapshot.update(minion: makeNode(index)) }
let boundCount = options.minions * options.podsPerMinion
let buildStart = clock.now
for index in 0..<boundCount {
    snapshot.update(pod: makePod("bound-\(index)", controller: index % options.controllers, index: index,
                                 nodeName: "minion-\(index % options.minions)"))
}
let buildSeconds = seconds(clock.now - buildStart)

let pending = (0..<options.decisions).map {
    makePod("pending-\($0)", controller: $0 % options.controllers, index: $0 + 1)
}
let selected = (0..<options.decisions).map {
    makePod("selected-\($0)", controller: $0 % options.controllers, index: $0 + 1,
            nodeSelector: ["zone": "zone-\($0 % 4)"])
}

// Warm up (page in, fill caches), then measure.
_ = run("warm-up", base: snapshot, pods: Array(pending.prefix(2000)), assume: true)
let results = [
    run("decide + assume (the scheduler's loop)", base: snapshot, pods: pending, assume: true),
    run("decide only", base: snapshot, pods: pending, assume: false),
    run("decide + assume, nodeSelector", base: snapshot, pods: selected, assume: true),
]

print("Scheduler decision rate: \(options.minions) minions, \(boundCount) pods bound "
      + "(\(options.podsPerMinion) per minion, \(options.controllers) RCs); snapshot built in "
      + String(format: "%.0f ms (%.2f µs per pod)", buildSeconds * 1000, buildSeconds * 1e6 / Double(boundCount)))
print("")
let header = "case".padding(toLength: 40, withPad: " ", startingAt: 0)
    + "  decisions/s  per CPU-s   p50 µs   p99 µs"
print(header)
print(String(repeating: "-", count: header.count))
for r in results {
    print(r.name.padding(toLength: 40, withPad: " ", startingAt: 0)
          + String(format: "  %11.0f  %9.0f  %7.1f  %7.1f", r.perSecond, r.perCPUSecond, r.p50 * 1e6, r.p99 * 1e6))
}

if let path = options.json {
    let json: [String: Any] = [
        "benchmark": "scheduler-decision",
        "minions": options.minions,
        "boundPods": boundCount,
        "controllers": options.controllers,
        "snapshotBuildSeconds": buildSeconds,
        "results": results.map { r in
            ["case": r.name, "decisions": r.decisions, "decisionsPerSecond": r.perSecond,
             "decisionsPerCPUSecond": r.perCPUSecond,
             "p50Microseconds": r.p50 * 1e6, "p99Microseconds": r.p99 * 1e6] as [String: Any]
        },
    ]
    let data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
    try data.write(to: URL(fileURLWithPath: path))
}
