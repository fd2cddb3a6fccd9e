import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import OrcaAPI
import OrcaClient
import OrcaDaemon
import OrcaKubelet
import OrcaRuntime
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

@main
enum MinionMain {
    static func main() async {
        // One malloc arena for every thread, set before the threads start: the kubelet allocates little
        // and seldom contends, and per-thread arenas each keep their own free memory (1-2 MB of the
        // resident set with 30 pods started at once; docs/kubelet.md).
        Malloc.singleArena()
        await MinionCommand.main()
    }
}

/// `orca-minion` (what `orca minion` runs): the kubelet of this host, as a ServiceGroup until
/// SIGTERM or SIGINT. Its containers keep running when it stops; started again on the same
/// data directory, it takes them over. An executable of its own, without the master's code
/// and without Foundation, so that it stays small in memory (docs/kubelet.md).
struct MinionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orca-minion",
        abstract: "Run this host's kubelet: the pods bound to it as runc containers.")

    @Option(name: .long, help: "The master's URL.")
    var master: String = "http://127.0.0.1:8080"

    @Option(name: .long, help: "The minion's name (default: the host name).")
    var name: String?

    @Option(name: .long, help: "The address the master and the other minions reach this one at.")
    var hostIP: String

    @Option(name: .long, help: "The pod CIDR to ask for (default: the one the master assigns).")
    var podCIDR: String?

    @Option(name: .long, help: "Where images, containers, volumes and logs are kept.")
    var dataDir: String = "/var/lib/orca/minion"

    @Option(name: .long, help: "Where the kubelet serves logs (HOST:PORT).")
    var listen: String = "0.0.0.0:10250"

    @Option(name: .long, parsing: .singleValue,
            help: "A registry mirror, REGISTRY=URL (docker.io=http://10.245.2.1:5000); repeatable.")
    var registryMirror: [String] = []

    @Option(name: .long, parsing: .singleValue, help: "A registry spoken to over plain HTTP (HOST:PORT); repeatable.")
    var insecureRegistry: [String] = []

    @Option(name: .long, help: "Seconds between two status posts.")
    var heartbeatInterval: Double = 5

    @Option(name: .long, help: "Pods' nameserver: gateway (this minion's DNS server on its bridge), none, or an IP.")
    var clusterDns: String = "gateway"

    @Option(name: .long, help: "The bridge pods attach to.")
    var bridge: String = "cbr0"

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard Self.isIPv4(hostIP) else { throw ValidationError("--host-ip: \"\(hostIP)\" is not an IPv4 address") }
        if let podCIDR, !Self.isCIDR(podCIDR) {
            throw ValidationError("--pod-cidr: \"\(podCIDR)\" is not an IPv4 CIDR such as 10.244.1.0/24")
        }
        _ = try HostPort.parse(listen, option: "--listen", ports: 0...65535)
        guard ["gateway", "none"].contains(clusterDns) || Self.isIPv4(clusterDns) else {
            throw ValidationError("--cluster-dns: \"\(clusterDns)\" is not gateway, none or an IPv4 address")
        }
        guard heartbeatInterval > 0 else { throw ValidationError("--heartbeat-interval must be positive") }
        _ = try DaemonLogging.level(logLevel)
        var registry = RegistryConfiguration()
        for mirror in registryMirror {
            do { try registry.addMirror(mirror) } catch { throw ValidationError("--registry-mirror: \(error)") }
        }
        guard getuid() == 0 else { throw ValidationError("orca minion runs containers and must run as root") }
    }

    func run() async throws {
        DaemonLogging.bootstrap(try DaemonLogging.level(logLevel))
        let logger = Logger(label: "orca.minion")
        var registry = RegistryConfiguration()
        for mirror in registryMirror { try registry.addMirror(mirror) }
        registry.insecureRegistries = Set(insecureRegistry)
        let nodeName = name ?? ProcessInfo.processInfo.hostName
        var configuration = KubeletConfiguration(
            nodeName: nodeName, hostIP: hostIP, dataDirectory: URL(fileURLWithPath: dataDir), podCIDR: podCIDR,
            registry: registry)
        let (host, port) = try HostPort.parse(listen, option: "--listen", ports: 0...65535)
        configuration.listenHost = host
        configuration.listenPort = port
        configuration.bridge = bridge
        configuration.clusterDNS = switch clusterDns {
        case "gateway": .gateway
        case "none": .none
        default: .address(clusterDns)
        }
        configuration.heartbeatInterval = .milliseconds(Int64(heartbeatInterval * 1000))

        let client = OrcaClient.owned(configuration: OrcaClient.Configuration(baseURL: master))
        let kubelet = try Kubelet(configuration: configuration, client: client, logger: logger)
        let networkServices = MinionNetworkServices(kubelet: kubelet, client: client, dns: clusterDns == "gateway",
                                                    logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: kubelet), .init(service: networkServices), .init(service: MemoryTrimmer())],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        logger.info("minion starting", metadata: ["master": "\(master)", "name": "\(nodeName)", "hostIP": "\(hostIP)"])
        do {
            try await group.run()
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        logger.info("minion stopped; its containers keep running")
    }

    static func isIPv4(_ text: String) -> Bool { IPv4CIDR.parseAddress(text) != nil }

    /// A pod CIDR: an IPv4 range from /8 to /30 (a /31 or /32 has no room for pods).
    static func isCIDR(_ text: String) -> Bool { IPv4CIDR(text).map { (8...30).contains($0.prefixLength) } ?? false }
}
