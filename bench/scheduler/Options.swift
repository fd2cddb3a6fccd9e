import BenchSupport
import Foundation

/// The flags of `bench-scheduler`, parsed by hand (as bench/api does).
struct Options: Sendable {
    enum Scenario: String, Sendable {
        case throughput
        case minionLoss = "minion-loss"
        case all
    }

    var scenario = Scenario.throughput
    var orca: String?
    var json: String?
    // Throughput.
    var minions = 1_000
    var rcs = 100
    var replicas = 300
    var heartbeatInterval = 10.0
    var cpuRequest = "100m"
    var memoryRequest = "100Mi"
    var createConcurrency = 16
    var timeoutSeconds = 240.0
    var readyTimeoutSeconds = 180.0
    // Minion loss.
    var lossMinions = 10
    var lossReplicas = 30
    var lossRounds = 3
    var lossHeartbeatInterval = 5.0
    var lossTimeoutSeconds = 120.0
    // Master flags (nil: the master's defaults, 15 s and 10 s).
    var minionGrace: Int?
    var podEvictionTimeout: Int?
    // Quiet machine.
    var maxLoad = 1.5
    var loadWaitSeconds = 600.0
    var masterLogLevel = "warning"
    /// When set, `perf record` samples the master during the scheduling phase into this file.
    var perfOutput: String?

    var pods: Int { rcs * replicas }

    static let usage = """
        usage: bench-scheduler [options]
          --scenario S              throughput | minion-loss | all (throughput)
          --small                   throughput on 100 minions, 10 RCs x 300 = 3,000 pods
          --minions N               hollow minions for throughput, in one `orca hollow` process (1000)
          --rcs N                   replication controllers created (100)
          --replicas N              replicas of each (300)
          --heartbeat-interval S    minions' status interval in the throughput run (10)
          --cpu-request Q           CPU request of each pod (100m)
          --memory-request Q        memory request of each pod (100Mi)
          --create-concurrency N    RC creations in flight (16)
          --timeout S               cap on the scheduling phase, from the first RC to all Running (240)
          --ready-timeout S         cap on waiting for the minions to be Ready (180)
          --loss-minions N          minions in the minion-loss run, the lost ones included (10)
          --loss-replicas N         replicas of the minion-loss RC (30)
          --loss-rounds N           minions lost one after the other, each in its own process (3)
          --loss-heartbeat-interval S  minions' status interval in the minion-loss run (5)
          --loss-timeout S          cap on each loss round (120)
          --minion-grace S          passed to orca master (default: the master's, 15)
          --pod-eviction-timeout S  passed to orca master (default: the master's, 10)
          --max-load L              wait while the 1-minute load average is above L (1.5)
          --load-wait S             the longest wait for a quiet machine; 0 skips the check (600)
          --master-log-level L      the master's and hollows' --log-level (warning)
          --perf FILE               `perf record -e cpu-clock -g -a` during the throughput phase
          --orca PATH               orca binary (default: next to bench-scheduler, else .build-bsched/release/orca)
          --json FILE               results file (default: bench/results/scheduler.json, else a /tmp path)
        """

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            switch flag {
            case "--help", "-h":
                print(usage)
                exit(0)
            case "--small":
                options.minions = 100
                options.rcs = 10
                options.replicas = 300
                continue
            default:
                break
            }
            guard let value = rest.popFirst() else { throw BenchError("\(flag) needs a value\n\(usage)") }
            switch flag {
            case "--scenario":
                guard let scenario = Scenario(rawValue: value) else {
                    throw BenchError("--scenario: \"\(value)\" is not throughput, minion-loss or all")
                }
                options.scenario = scenario
            case "--orca": options.orca = value
            case "--json": options.json = value
            case "--minions": options.minions = try positive(value, flag)
            case "--rcs": options.rcs = try positive(value, flag)
            case "--replicas": options.replicas = try positive(value, flag)
            case "--heartbeat-interval": options.heartbeatInterval = try seconds(value, flag)
            case "--cpu-request": options.cpuRequest = value
            case "--memory-request": options.memoryRequest = value
            case "--create-concurrency": options.createConcurrency = try positive(value, flag)
            case "--timeout": options.timeoutSeconds = try seconds(value, flag)
            case "--ready-timeout": options.readyTimeoutSeconds = try seconds(value, flag)
            case "--loss-minions": options.lossMinions = try positive(value, flag)
            case "--loss-replicas": options.lossReplicas = try positive(value, flag)
            case "--loss-rounds": options.lossRounds = try positive(value, flag)
            case "--loss-heartbeat-interval": options.lossHeartbeatInterval = try seconds(value, flag)
            case "--loss-timeout": options.lossTimeoutSeconds = try seconds(value, flag)
            case "--minion-grace": options.minionGrace = try positive(value, flag)
            case "--pod-eviction-timeout": options.podEvictionTimeout = try positive(value, flag)
            case "--max-load": options.maxLoad = try seconds(value, flag)
            case "--load-wait":
                guard let wait = Double(value), wait >= 0 else { throw BenchError("--load-wait: \"\(value)\"") }
                options.loadWaitSeconds = wait
            case "--master-log-level": options.masterLogLevel = value
            case "--perf": options.perfOutput = value
            default: throw BenchError("unknown flag \(flag)\n\(usage)")
            }
        }
        guard options.lossRounds < options.lossMinions else {
            throw BenchError("--loss-rounds must be below --loss-minions (live minions must remain)")
        }
        return options
    }

    /// The master's flags beyond data dir, listen address and log level.
    var masterArguments: [String] {
        (minionGrace.map { ["--minion-grace", "\($0)"] } ?? [])
            + (podEvictionTimeout.map { ["--pod-eviction-timeout", "\($0)"] } ?? [])
    }

    private static func positive(_ text: String, _ flag: String) throws -> Int {
        guard let value = Int(text), value > 0 else {
            throw BenchError("\(flag): \"\(text)\" is not a positive number")
        }
        return value
    }

    private static func seconds(_ text: String, _ flag: String) throws -> Double {
        guard let value = Double(text), value > 0 else { throw BenchError("\(flag): \"\(text)\" is not positive") }
        return value
    }

    /// The command as given, for the report.
    static var commandLine: String {
        (["bench-scheduler"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
    }
}
