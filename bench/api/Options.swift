import Foundation

/// The flags of `bench-api`, parsed by hand (the benchmark has no other dependencies to pull in).
struct Options {
    /// The `orca` binary; found next to this executable or under `.build-bench/release` when unset.
    var orca: String?
    /// Where the JSON results go; `bench/results/api.json` when run from the repository root.
    var json: String?
    var clients = 50
    var pods = 10_000
    var gets = 20_000
    var lists = 2_000
    var updates = 10_000
    /// Pods in the separate namespace that the whole-namespace list reads.
    var listNamespacePods = 100
    var watchers = 1_000
    var watchWrites = 50
    var watchIntervalMilliseconds = 100
    var baselineSeconds = 3.0
    var baselineBatch = 50
    /// The longest any one phase may run; a phase stops early (and says so) when it passes.
    var phaseTimeoutSeconds = 60.0
    var masterLogLevel = "warning"
    /// A small run to check the setup; its results never replace the recorded ones.
    var quick = false
    /// Extra arguments for `orca master` (`--master-arg --no-control-loops`: the API server alone).
    var masterArguments: [String] = []

    static let usage = """
        usage: bench-api [options]
          --orca PATH               orca binary (default: next to bench-api, else .build-bench/release/orca)
          --json FILE               results file (default: bench/results/api.json, else a /tmp path)
          --clients N               concurrent API clients (50)
          --pods N                  pods created in the create phase (10000)
          --gets N                  GET requests (20000)
          --lists N                 requests of each list variant (2000)
          --updates N               GET+PUT update cycles (10000)
          --list-namespace-pods N   pods in the namespace listed whole (100)
          --watchers N              concurrent watchers (1000)
          --watch-writes N          updates the watchers must see (50)
          --watch-interval-ms N     spacing of those updates (100)
          --baseline-seconds S      length of each raw SQLite run (3)
          --baseline-batch N        inserts per commit in the batched SQLite run (50)
          --phase-timeout S         cap on each phase (60)
          --master-log-level L      the master's --log-level (warning)
          --master-arg ARG          one more argument for `orca master` (repeatable),
                                    e.g. --master-arg --no-control-loops for the API server alone
          --quick                   a small run (1000 pods, 100 watchers) to check the setup;
                                    its JSON goes to a /tmp path unless --json is given
        """

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            if flag == "--help" || flag == "-h" {
                print(usage)
                exit(0)
            }
            if flag == "--quick" {
                options.quick = true
                options.pods = 1_000
                options.gets = 2_000
                options.lists = 500
                options.updates = 1_000
                options.watchers = 100
                options.watchWrites = 10
                options.baselineSeconds = 1
                continue
            }
            guard let value = rest.popFirst() else { throw UsageError("\(flag) needs a value\n\(usage)") }
            switch flag {
            case "--orca": options.orca = value
            case "--json": options.json = value
            case "--clients": options.clients = try positive(value, flag)
            case "--pods": options.pods = try positive(value, flag)
            case "--gets": options.gets = try positive(value, flag)
            case "--lists": options.lists = try positive(value, flag)
            case "--updates": options.updates = try positive(value, flag)
            case "--list-namespace-pods": options.listNamespacePods = try positive(value, flag)
            case "--watchers": options.watchers = try positive(value, flag)
            case "--watch-writes": options.watchWrites = try positive(value, flag)
            case "--watch-interval-ms": options.watchIntervalMilliseconds = try positive(value, flag)
            case "--baseline-seconds": options.baselineSeconds = Double(try positive(value, flag))
            case "--baseline-batch": options.baselineBatch = try positive(value, flag)
            case "--phase-timeout": options.phaseTimeoutSeconds = Double(try positive(value, flag))
            case "--master-log-level": options.masterLogLevel = value
            case "--master-arg": options.masterArguments.append(value)
            default: throw UsageError("unknown flag \(flag)\n\(usage)")
            }
        }
        return options
    }

    private static func positive(_ text: String, _ flag: String) throws -> Int {
        guard let value = Int(text), value > 0 else {
            throw UsageError("\(flag): \"\(text)\" is not a positive number")
        }
        return value
    }

    /// The flags as given, for the report (`bench-api --pods 1000 ...`).
    static var commandLine: String {
        ([".build-bench/release/bench-api"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
    }
}

struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
