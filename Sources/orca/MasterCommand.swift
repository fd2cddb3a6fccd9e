import ArgumentParser
import Foundation
import Logging
import OrcaAPI
import OrcaAPIServer
import OrcaClient
import OrcaDaemon
import OrcaMaster
import OrcaStore
import ServiceLifecycle

/// `orca master`: the API server over SQLite, run as a ServiceGroup until SIGTERM or SIGINT.
struct MasterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "master", abstract: "Run the master: the API server and its controllers.")

    @Option(name: .long, help: "Directory for the master's state (the SQLite database).")
    var dataDir: String = "/var/lib/orca/master"

    @Option(name: .long, parsing: .singleValue,
            help: "Address to serve the API on, HOST:PORT; repeat it to serve on several (default 127.0.0.1:8080).")
    var listen: [String] = []

    @Option(name: .long, help: "The address pods reach the master at (the kubernetes services' endpoints; default: the --listen address unless it is 0.0.0.0 or loopback).")
    var advertiseAddress: String?

    @Option(name: .long, help: "Range that service IPs are allocated from.")
    var serviceCidr: String = "10.0.0.0/16"

    @Option(name: .long, help: "Range that minions' pod CIDRs (a /24 each) are allocated from.")
    var clusterCidr: String = "10.244.0.0/16"

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Option(name: .long, help: "Seconds a minion may go without a heartbeat before it is NotReady.")
    var minionGrace: Int = 15

    @Option(name: .long, help: "Seconds after a minion turns NotReady before its pods are deleted and replaced.")
    var podEvictionTimeout: Int = 10

    @Flag(name: .customLong("control-loops"), inversion: .prefixedNo,
          help: "Run the scheduler and controllers beside the API server (--no-control-loops: the API server alone).")
    var controlLoops = true

    @Option(name: .long, help: "Seconds between compactions of the store's history.")
    var compactionInterval: Int = 300

    func run() async throws {
        guard minionGrace > 0, podEvictionTimeout >= 0 else {
            throw ValidationError("--minion-grace must be positive and --pod-eviction-timeout not negative")
        }
        let level = try DaemonLogging.level(logLevel)
        guard let cidr = IPv4CIDR(serviceCidr) else {
            throw ValidationError("--service-cidr: \"\(serviceCidr)\" is not an IPv4 CIDR such as 10.0.0.0/16")
        }
        guard let clusterRange = IPv4CIDR(clusterCidr), clusterRange.prefixLength <= 24 else {
            throw ValidationError("--cluster-cidr: \"\(clusterCidr)\" is not an IPv4 CIDR of /24 or larger, such as 10.244.0.0/16")
        }
        let addresses = try (listen.isEmpty ? ["127.0.0.1:8080"] : listen).map { try HostPort.parse($0, option: "--listen") }
        let (host, port) = addresses[0]
        if let advertiseAddress, IPv4CIDR(advertiseAddress + "/32") == nil {
            throw ValidationError("--advertise-address: \"\(advertiseAddress)\" is not an IPv4 address")
        }
        DaemonLogging.bootstrap(level)
        let logger = Logger(label: "orca.master")

        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let store = try await SQLiteStore(path: dataDir + "/orca.sqlite")

        var config = APIServer.Configuration()
        config.host = host
        config.port = port
        config.advertiseAddress = advertiseAddress
            ?? ((host == "0.0.0.0" || host.hasPrefix("127.") || host == "localhost") ? nil : host)
        config.serviceCIDR = cidr
        config.clusterCIDR = clusterRange
        config.compactionInterval = .seconds(compactionInterval)
        config.logger = Logger(label: "orca.apiserver")
        let server = try await APIServer.make(configuration: config, store: store)

        // The control loops use the API like any client, over loopback when it listens everywhere.
        let apiHost = host == "0.0.0.0" ? "127.0.0.1" : host
        var loops = ControlPlane.Configuration()
        loops.minionGrace = .seconds(minionGrace)
        loops.podEvictionTimeout = .seconds(podEvictionTimeout)
        let controlPlane = ControlPlane(
            client: OrcaClient(baseURL: "http://\(apiHost):\(port)"), configuration: loops,
            logger: Logger(label: "orca.controllers"))

        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: server.application()),
                .init(service: server.compactor()),
                .init(service: server.namespaceFinalizer()),
            ] + addresses.dropFirst().map { .init(service: server.application(host: $0.0, port: $0.1)) }
              + (controlLoops ? controlPlane.services.map { .init(service: $0) } : []),
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        logger.info("master serving", metadata: ["listen": "\(listen)", "data-dir": "\(dataDir)"])
        try await group.run()
        await store.close()
        logger.info("master stopped")
    }
}
