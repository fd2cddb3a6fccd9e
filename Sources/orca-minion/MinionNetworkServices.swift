#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import OrcaClient
import OrcaKubelet
import OrcaProxy
import OrcaRuntime
import ServiceLifecycle

/// The minion's service plumbing beside its kubelet: the service proxy (service IPs made local
/// on a dummy interface, listeners balancing over the endpoints) and the cluster DNS server on
/// the minion's bridge address, which pods' /etc/resolv.conf names. One informer factory
/// feeds both.
struct MinionNetworkServices: ServiceLifecycle.Service {
    let kubelet: Kubelet
    let client: OrcaClient
    let dns: Bool
    let logger: Logger

    func run() async throws {
        let informers = InformerFactory(client: client)
        let addresses = DummyInterfaceAddresses(logger: logger) { arguments, stdin in
            let output = try await Command("/usr/sbin/ip", arguments).output(stdin: stdin.map { Data($0.utf8) })
            return IPCommandOutput(succeeded: output.status.succeeded, stdout: output.stdoutText,
                                   stderr: output.stderrText)
        }
        let proxy = ProxyController(informers: informers, addresses: addresses, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await cancelWhenGracefulShutdown { await informers.run() } }
            group.addTask { try await proxy.run() }
            if dns {
                group.addTask {
                    // The DNS server listens on the bridge address, known once the minion has its pod CIDR.
                    let network = try await cancelWhenGracefulShutdown { try await kubelet.podNetwork() }
                    guard let gateway = network.gateway else { return }
                    let server = DNSController(informers: informers,
                                               configuration: .init(server: .init(host: gateway, port: 53)),
                                               logger: logger)
                    logger.info("cluster DNS serving", metadata: ["address": "\(gateway):53"])
                    try await server.run()
                }
            }
            try await group.waitForAll()
        }
    }
}
