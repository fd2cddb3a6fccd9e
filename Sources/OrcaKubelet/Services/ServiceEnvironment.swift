#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OrcaAPI
import OrcaClient

/// The seed's service discovery by environment (like linked Docker containers): for every
/// service of the pod's namespace that exists when a container starts, and the master's own
/// `kubernetes` / `kubernetes-ro` for pods of other namespaces:
/// ```
/// JENKINS_SERVICE_HOST=10.0.29.247          JENKINS_SERVICE_PORT=8888
/// JENKINS_PORT=tcp://10.0.29.247:8888
/// JENKINS_PORT_8080_TCP=tcp://10.0.29.247:8888
/// JENKINS_PORT_8080_TCP_ADDR=10.0.29.247    JENKINS_PORT_8080_TCP_PORT=8888
/// JENKINS_PORT_8080_TCP_PROTO=tcp
/// ```
/// NAME is the service name upper-cased with dashes as underscores. As in the seed, the
/// number in `_PORT_{P}_TCP` is the container (target) port, the values the service's IP
/// and port; `_SERVICE_PORT` and `_PORT` name the first port.
public final class ServiceEnvironment: ServiceEnvironmentProvider {
    let services: Informer<OrcaAPI.Service>

    public init(client: OrcaClient) {
        services = Informer<OrcaAPI.Service>(client: client)
    }

    /// Keeps the service cache (run beside the kubelet).
    public func run() async { await services.run() }

    public func environment(for pod: Pod) async -> [EnvVar] {
        // A container started before the first list would miss variables; wait briefly for it.
        let deadline = ContinuousClock.now + .seconds(5)
        while !services.hasSynced, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return Self.variables(services.items, namespace: pod.metadata.namespace ?? "default")
    }

    /// The variables for a pod of `namespace` given the cluster's services. Pure.
    public static func variables(_ services: [OrcaAPI.Service], namespace: String) -> [EnvVar] {
        var chosen = services.filter { ($0.metadata.namespace ?? "default") == namespace }
        if namespace != "default" {
            let master = services.filter {
                ($0.metadata.namespace ?? "default") == "default"
                    && ["kubernetes", "kubernetes-ro"].contains($0.metadata.name ?? "")
            }
            let names = Set(chosen.compactMap(\.metadata.name))
            chosen += master.filter { !names.contains($0.metadata.name ?? "") }
        }
        return chosen.sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }.flatMap(variables)
    }

    static func variables(_ service: OrcaAPI.Service) -> [EnvVar] {
        guard let name = service.metadata.name, let ip = service.spec?.clusterIP, !ip.isEmpty, ip != "None",
              let ports = service.spec?.ports, let first = ports.first else { return [] }
        let prefix = name.uppercased().replacing("-", with: "_")
        func proto(_ port: ServicePort) -> String { (port.protocol?.rawValue ?? "TCP").lowercased() }
        var env = [
            EnvVar(name: "\(prefix)_SERVICE_HOST", value: ip),
            EnvVar(name: "\(prefix)_SERVICE_PORT", value: String(first.port)),
            EnvVar(name: "\(prefix)_PORT", value: "\(proto(first))://\(ip):\(first.port)"),
        ]
        for port in ports {
            let number: Int = if case .int(let target)? = port.targetPort { target } else { port.port }
            let key = "\(prefix)_PORT_\(number)_\(proto(port).uppercased())"
            env += [
                EnvVar(name: key, value: "\(proto(port))://\(ip):\(port.port)"),
                EnvVar(name: key + "_ADDR", value: ip),
                EnvVar(name: key + "_PORT", value: String(port.port)),
                EnvVar(name: key + "_PROTO", value: proto(port)),
            ]
        }
        return env
    }
}
