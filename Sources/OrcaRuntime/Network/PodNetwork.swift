#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging

/// Network sandboxes for pods: a network namespace per pod with an IP from the minion's pod
/// CIDR on the minion's bridge, made by the standard CNI plugins (loopback, bridge +
/// host-local, portmap for host ports) from Debian's containernetworking-plugins.
///
/// Every container of a pod joins its namespace by path (runc's `linux.namespaces`), so they
/// share localhost and one IP; a bind-mounted namespace (`ip netns add`) needs no pause process.
public struct PodNetwork: Sendable {
    public struct Configuration: Sendable {
        /// The minion's pod CIDR (`10.244.N.0/24`).
        public var podCIDR: String
        public var bridge: String
        public var pluginDirectory: String
        /// host-local's allocations and a record per sandbox (IP, port mappings) live here.
        public var dataDirectory: String
        /// Run the plugins in this named network namespace instead of the current one (tests make
        /// a minion namespace; `orca minion` itself already runs in its host's namespace).
        public var hostNamespace: String?
        public var networkName: String

        public init(podCIDR: String, dataDirectory: String, bridge: String = "cbr0",
                    pluginDirectory: String = "/usr/lib/cni", hostNamespace: String? = nil,
                    networkName: String = "orca") {
            self.podCIDR = podCIDR
            self.bridge = bridge
            self.pluginDirectory = pluginDirectory
            self.dataDirectory = dataDirectory
            self.hostNamespace = hostNamespace
            self.networkName = networkName
        }
    }

    /// A host port forwarded to a pod's port (`hostPort` in a container's ports).
    public struct PortMapping: Sendable, Hashable, Codable {
        public var hostPort: Int
        public var containerPort: Int
        /// `tcp` or `udp`.
        public var `protocol`: String

        public init(hostPort: Int, containerPort: Int, protocol: String = "tcp") {
            self.hostPort = hostPort
            self.containerPort = containerPort
            self.protocol = `protocol`.lowercased()
        }
    }

    /// A pod's network: its namespace and address.
    public struct Sandbox: Sendable, Hashable, Codable {
        public var id: String
        /// `ip netns` name; the namespace is bind-mounted at ``path``.
        public var namespace: String
        public var ip: String
        public var gateway: String?
        public var portMappings: [PortMapping]

        public var path: String { PodNetwork.namespaceDirectory + "/" + namespace }
    }

    static let namespaceDirectory = "/var/run/netns"
    /// Sandboxes' namespaces are named with this prefix, so leftovers can be found and removed.
    public static let namespacePrefix = "orca-pod-"

    public let configuration: Configuration
    let logger: Logger

    public init(_ configuration: Configuration, logger: Logger = Logger(label: "orca.network")) throws {
        self.configuration = configuration
        self.logger = logger
        try FileManager.default.createDirectory(atPath: recordDirectory, withIntermediateDirectories: true)
    }

    /// Creates the pod's namespace with loopback, an IP on the bridge and its host ports.
    /// Idempotent: an existing sandbox for `id` is returned as it is.
    public func setUp(id: String, portMappings: [PortMapping] = []) async throws -> Sandbox {
        if let existing = sandbox(id), FileManager.default.fileExists(atPath: existing.path) { return existing }
        let namespace = Self.namespacePrefix + id
        try await ip(["netns", "add", namespace])
        do {
            let path = Self.namespaceDirectory + "/" + namespace
            _ = try await plugin("loopback", command: "ADD", id: id, netns: path, interface: "lo",
                                 config: ["cniVersion": "1.0.0", "name": "lo", "type": "loopback"])
            let result = try await plugin("bridge", command: "ADD", id: id, netns: path, interface: "eth0",
                                          config: bridgeConfig)
            let address = try Self.address(in: result)
            if !portMappings.isEmpty {
                var config = portmapConfig(portMappings)
                config["prevResult"] = result
                _ = try await plugin("portmap", command: "ADD", id: id, netns: path, interface: "eth0", config: config)
            }
            let sandbox = Sandbox(id: id, namespace: namespace, ip: address.ip, gateway: address.gateway,
                                  portMappings: portMappings)
            try JSONEncoder().encode(sandbox).write(to: URL(fileURLWithPath: recordPath(id)), options: .atomic)
            logger.debug("sandbox up", metadata: ["id": "\(id)", "ip": "\(address.ip)"])
            return sandbox
        } catch {
            // Leave nothing half-made: the IP, the veth and the namespace go.
            await release(id: id, namespace: namespace, portMappings: portMappings)
            throw error
        }
    }

    /// Removes the sandbox: host ports, the IP (host-local), the veth and the namespace.
    /// Idempotent.
    public func tearDown(id: String) async {
        let record = sandbox(id)
        await release(id: id, namespace: Self.namespacePrefix + id, portMappings: record?.portMappings ?? [])
    }

    /// The sandbox recorded for `id` (survives a kubelet restart).
    public func sandbox(_ id: String) -> Sandbox? {
        guard let data = FileManager.default.contents(atPath: recordPath(id)) else { return nil }
        return try? JSONDecoder().decode(Sandbox.self, from: data)
    }

    /// The ids of every recorded sandbox, for garbage collection after a restart.
    public func sandboxIDs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: recordDirectory)) ?? []
        return names.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }
    }

    private func release(id: String, namespace: String, portMappings: [PortMapping]) async {
        let path = Self.namespaceDirectory + "/" + namespace
        let exists = FileManager.default.fileExists(atPath: path)
        if !portMappings.isEmpty {
            _ = try? await plugin("portmap", command: "DEL", id: id, netns: exists ? path : "", interface: "eth0",
                              config: portmapConfig(portMappings))
        }
        // DEL with the namespace gone still releases host-local's IP (the plugins allow an empty netns).
        _ = try? await plugin("bridge", command: "DEL", id: id, netns: exists ? path : "", interface: "eth0",
                          config: bridgeConfig)
        if exists {
            do { try await ip(["netns", "delete", namespace]) } catch {
                logger.warning("cannot delete network namespace", metadata: ["namespace": "\(namespace)", "error": "\(error)"])
            }
        }
        try? FileManager.default.removeItem(atPath: recordPath(id))
    }

    var bridgeConfig: JSONValue {
        [
            "cniVersion": "1.0.0", "name": .string(configuration.networkName), "type": "bridge",
            "bridge": .string(configuration.bridge), "isGateway": true, "ipMasq": false, "hairpinMode": true,
            "ipam": [
                "type": "host-local", "subnet": .string(configuration.podCIDR),
                "dataDir": .string(configuration.dataDirectory + "/ipam"),
                "routes": [["dst": "0.0.0.0/0"]],
            ],
        ]
    }

    func portmapConfig(_ mappings: [PortMapping]) -> JSONValue {
        [
            "cniVersion": "1.0.0", "name": .string(configuration.networkName), "type": "portmap",
            "capabilities": ["portMappings": true],
            // snat: traffic from the minion itself (and hairpin) to its own host port works too.
            "snat": true,
            "runtimeConfig": [
                "portMappings": .array(mappings.map {
                    ["hostPort": .int($0.hostPort), "containerPort": .int($0.containerPort), "protocol": .string($0.protocol)]
                }),
            ],
        ]
    }

    /// Runs one CNI plugin (spec 1.0.0: parameters in the environment, config on stdin,
    /// result or error as JSON on stdout).
    @discardableResult
    func plugin(_ type: String, command: String, id: String, netns: String, interface: String,
                config: JSONValue) async throws -> JSONValue {
        let binary = configuration.pluginDirectory + "/" + type
        let environment = [
            "CNI_COMMAND": command, "CNI_CONTAINERID": id, "CNI_NETNS": netns, "CNI_IFNAME": interface,
            "CNI_PATH": configuration.pluginDirectory,
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ]
        let output = try await inHost(binary, [], environment: environment).output(stdin: config.data,
                                                                                  timeout: .seconds(30))
        let json = JSONValue.parse(output.stdout) ?? [:]
        guard output.status.succeeded else {
            let message = json["msg"]?.string ?? output.stderrText
            let details = json["details"]?.string
            throw RuntimeError.command("CNI \(type) \(command)", output.status,
                                       output: [message, details].compactMap { $0 }.joined(separator: ": "))
        }
        return json
    }

    /// The pod's address and gateway from a bridge plugin result (`ips[0]`).
    static func address(in result: JSONValue) throws -> (ip: String, gateway: String?) {
        guard let first = result["ips"]?.array?.first, let cidr = first["address"]?.string,
              let ip = cidr.split(separator: "/").first else {
            throw RuntimeError.command("CNI bridge ADD", .exited(0), output: "no IP in the result: \(result)")
        }
        return (String(ip), first["gateway"]?.string)
    }

    func ip(_ arguments: [String]) async throws {
        try await Command("/usr/sbin/ip", arguments).run(timeout: .seconds(30))
    }

    /// A command run in the minion's namespace.
    func inHost(_ path: String, _ arguments: [String], environment: [String: String]? = nil) -> Command {
        guard let namespace = configuration.hostNamespace else {
            return Command(path, arguments, environment: environment)
        }
        return Command("/usr/sbin/ip", ["netns", "exec", namespace, path] + arguments, environment: environment)
    }

    var recordDirectory: String { configuration.dataDirectory + "/sandboxes" }
    func recordPath(_ id: String) -> String { recordDirectory + "/" + id + ".json" }
}
