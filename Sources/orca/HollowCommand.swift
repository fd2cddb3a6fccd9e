import ArgumentParser
import Foundation
import Logging
import OrcaAPI
import OrcaClient
import OrcaDaemon
import OrcaTesting
import ServiceLifecycle

/// `orca hollow`: N hollow minions in one process (like Kubernetes' kubemark), run as a
/// ServiceGroup until SIGTERM or SIGINT. They register, heartbeat and report the pods bound to
/// them Running without starting anything; stopping the process makes them go silent.
struct HollowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hollow",
        abstract: "Run fake minions that register, heartbeat and pretend to run their pods.")

    @Option(name: .long, help: "The master's URL.")
    var master: String = "http://127.0.0.1:8080"

    @Option(name: .long, help: "How many minions to run.")
    var count: Int = 1

    @Option(name: .long, help: "Minion names are this prefix followed by 0, 1, 2, ...")
    var namePrefix: String = "hollow-"

    @Option(name: .long, help: "Seconds between two status posts of a minion.")
    var heartbeatInterval: Double = 5

    @Option(name: .long, help: "CPU capacity of each minion (a quantity: 4, 3500m).")
    var cpu: String = "4"

    @Option(name: .long, help: "Memory capacity of each minion (a quantity: 8Gi, 512Mi).")
    var memory: String = "8Gi"

    @Option(name: .long, help: "Pod capacity of each minion.")
    var maxPods: Int = 110

    @Option(name: .long, help: "Host IP of the first minion; the others take the following addresses.")
    var firstHostIP: String = "10.245.128.1"

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        guard heartbeatInterval > 0 else { throw ValidationError("--heartbeat-interval must be positive") }
        guard Quantity(cpu) != nil else { throw ValidationError("--cpu: \"\(cpu)\" is not a quantity such as 4") }
        guard Quantity(memory) != nil else {
            throw ValidationError("--memory: \"\(memory)\" is not a quantity such as 8Gi")
        }
        guard maxPods >= 1 else { throw ValidationError("--max-pods must be at least 1") }
        guard firstHostIP.split(separator: ".").count == 4 else {
            throw ValidationError("--first-host-ip: \"\(firstHostIP)\" is not an IPv4 address")
        }
        _ = try DaemonLogging.level(logLevel)
    }

    func run() async throws {
        DaemonLogging.bootstrap(try DaemonLogging.level(logLevel))
        let logger = Logger(label: "orca.hollow")

        var configuration = HollowMinions.Configuration(count: count)
        configuration.namePrefix = namePrefix
        configuration.heartbeatInterval = .milliseconds(Int64(heartbeatInterval * 1000))
        configuration.cpu = Quantity(cpu)!
        configuration.memory = Quantity(memory)!
        configuration.maxPods = maxPods
        configuration.firstHostIP = firstHostIP

        // Its own HTTP client, which keeps retrying connections: the master may start later.
        let client = OrcaClient.owned(configuration: OrcaClient.Configuration(baseURL: master))
        let minions = HollowMinions(client: client, configuration: configuration, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: minions)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        logger.info("hollow minions starting", metadata: [
            "master": "\(master)", "count": "\(count)", "prefix": "\(namePrefix)",
        ])
        do {
            try await group.run()
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        logger.info("hollow minions stopped")
    }
}
