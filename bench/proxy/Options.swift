import Foundation
import OrcaProxy

/// The flags of `bench-proxy`, parsed by hand (no dependencies beyond OrcaProxy and NIO).
struct Options {
    /// Where the JSON results go; `bench/results/proxy.json` when run from the repository root.
    var json: String?
    /// Length of each measured phase.
    var seconds = 1.5
    /// Rounds of (direct, proxy) per measurement; a path's figure is the median of its rounds, so
    /// a burst of load from elsewhere on a shared machine moves it less.
    var rounds = 5
    /// Concurrent connections of the bulk transfer phase.
    var bulkConnections = 4
    /// Size of one bulk transfer.
    var transferBytes = 1 << 20
    /// Size of a small request and of its answer.
    var messageBytes = 64
    /// Concurrent connections of the request-rate phase.
    var rateConnections = 16
    /// Services and endpoints per service of the reconcile phase.
    var services = 1000
    var endpointsPerService = 3
    /// The proxy's largest read and write watermarks (KiB); nil: its defaults.
    var maxReadKiB: Int?
    var highWaterKiB: Int?
    /// Event loop threads of the proxy (nil: `ServiceProxy.defaultGroup`, half the cores).
    var proxyThreads: Int?
    /// Which phases run.
    var skipTraffic = false
    var skipReconcile = false

    static let usage = """
        usage: bench-proxy [options]
          --json FILE             results file (default: bench/results/proxy.json, else a /tmp path)
          --seconds S             length of each measured phase (1.5)
          --rounds N              rounds of direct then proxy per measurement; medians reported (5)
          --bulk-connections N    concurrent connections moving 1 MiB transfers (4)
          --transfer-bytes N      size of one transfer (1048576)
          --message-bytes N       size of a small request and its answer (64)
          --rate-connections N    concurrent connections of the request-rate phase (16)
          --services N            services in the reconcile phase (1000)
          --endpoints N           endpoints per service (3)
          --max-read-kib N        the proxy's largest read (its default)
          --high-water-kib N      the proxy's high write watermark; low is a quarter (its default)
          --proxy-threads N       the proxy's own event loop group of N threads (default: the proxy's own, half the cores)
          --skip-traffic          only the reconcile phase
          --skip-reconcile        only the traffic phases
        """

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let value = rest.popFirst() else { throw OptionError("\(flag) needs a value") }
            return value
        }
        func number(_ flag: String) throws -> Int {
            guard let n = Int(try value(flag)), n > 0 else { throw OptionError("\(flag) needs a positive integer") }
            return n
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--help", "-h":
                print(usage)
                exit(0)
            case "--json": options.json = try value(flag)
            case "--seconds":
                guard let s = Double(try value(flag)), s > 0 else {
                    throw OptionError("--seconds needs a positive number")
                }
                options.seconds = s
            case "--rounds": options.rounds = try number(flag)
            case "--bulk-connections": options.bulkConnections = try number(flag)
            case "--transfer-bytes": options.transferBytes = try number(flag)
            case "--message-bytes": options.messageBytes = try number(flag)
            case "--rate-connections": options.rateConnections = try number(flag)
            case "--services": options.services = min(try number(flag), 60_000)
            case "--endpoints": options.endpointsPerService = try number(flag)
            case "--max-read-kib": options.maxReadKiB = try number(flag)
            case "--high-water-kib": options.highWaterKiB = try number(flag)
            case "--proxy-threads": options.proxyThreads = try number(flag)
            case "--skip-traffic": options.skipTraffic = true
            case "--skip-reconcile": options.skipReconcile = true
            default: throw OptionError("unknown flag \(flag)\n\(usage)")
            }
        }
        return options
    }

    /// The proxy's configuration with the flags applied.
    var proxyConfiguration: ServiceProxy.Configuration {
        var configuration = ServiceProxy.Configuration()
        if let maxReadKiB { configuration.maxReadSize = maxReadKiB * 1024 }
        if let highWaterKiB {
            configuration.highWaterMark = highWaterKiB * 1024
            configuration.lowWaterMark = highWaterKiB * 256
        }
        return configuration
    }
}

struct OptionError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
