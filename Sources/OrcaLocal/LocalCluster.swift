import Foundation
import OrcaAPI
import OrcaClient
import OrcaRuntime

#if canImport(Glibc)
import Glibc
#endif

/// A cluster on one machine, as the seed's Vagrant cluster was: the master on the host
/// (on the bridge address and on loopback, so `kubecfg` works with no flags), a registry on
/// the bridge address as the minions' docker.io mirror, and N minions, each `orca minion`
/// in a network namespace of its own with its own IP. What `orca up`, `orca down` and
/// `orca status` do.
public struct LocalCluster: Sendable {
    public let directory: URL
    /// The `orca` executable the daemons run.
    public let orca: String
    public let log: @Sendable (String) -> Void

    public init(directory: URL, orca: String, log: @escaping @Sendable (String) -> Void = { print($0) }) {
        self.directory = directory
        self.orca = orca
        self.log = log
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: up

    /// Brings the cluster up and returns when every minion is Ready. Already up: says so and
    /// returns. Left over from a crash: cleans up first.
    /// - Parameter mergeKubeconfig: the user's kubeconfig to add this cluster's context to (and
    ///   make current); nil leaves it alone. `<directory>/kubeconfig` is written either way.
    public func up(_ layout: LocalClusterLayout, mergeKubeconfig: String? = nil,
                   readyTimeout: Duration = .seconds(60)) async throws -> LocalClusterLayout {
        try checkPrerequisites()
        if let state = LocalClusterState.load(directory) {
            if state.daemons.allSatisfy(LocalClusterState.isAlive) {
                log("the cluster is already up (orca down stops it)")
                return state.layout
            }
            log("a previous cluster did not stop cleanly: cleaning up what it left")
            await down()
        }
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let network = HostNetwork(layout: layout)
        var state = LocalClusterState(layout: layout, daemons: [])
        do {
            try await network.setUp()
            state.daemons.append(try await startRegistry(layout))
            state.daemons.append(try start("master", [
                "master", "--data-dir", directory.appendingPathComponent("master").path,
                "--listen", "\(layout.hostIP):\(layout.masterPort)", "--listen", "127.0.0.1:\(layout.masterPort)",
                "--advertise-address", layout.hostIP,
                // A local cluster notices a lost minion sooner than the defaults (15 s + 10 s):
                // the minions heartbeat every 2 s.
                "--minion-grace", "8", "--pod-eviction-timeout", "4",
            ]))
            try state.save(directory)
            for (index, minion) in layout.allMinions.enumerated() {
                state.daemons.append(try start("minion-\(index + 1)", [
                    "--net=/var/run/netns/\(minion.namespace)", orca, "minion", "--master", layout.masterURL,
                    "--name", minion.name, "--host-ip", minion.ip, "--listen", "\(minion.ip):\(layout.kubeletPort)",
                    "--data-dir", directory.appendingPathComponent("minion-\(index + 1)").path,
                    "--registry-mirror", "docker.io=http://\(layout.registryHost)",
                    "--insecure-registry", layout.registryHost, "--heartbeat-interval", "2",
                ], executable: "/usr/bin/nsenter"))
                try state.save(directory)
            }
            try await waitUntilReady(layout, state: state, timeout: readyTimeout)
            let kubeconfig = Kubeconfig(layout)
            try Data(kubeconfig.standalone.utf8).write(to: kubeconfigFile)
            if let mergeKubeconfig {
                state.previousContext = try kubeconfig.merge(intoFileAt: mergeKubeconfig)
                state.mergedKubeconfig = mergeKubeconfig
                try state.save(directory)
            }
            return layout
        } catch {
            log("orca up failed: \(error); cleaning up")
            try? state.save(directory)
            await down()
            throw error
        }
    }

    /// Waits until every minion's Node is Ready, then routes the host to each pod CIDR.
    private func waitUntilReady(_ layout: LocalClusterLayout, state: LocalClusterState, timeout: Duration) async throws {
        let client = OrcaClient.owned(configuration: OrcaClient.Configuration(baseURL: layout.masterURL))
        defer { Task { try? await client.shutdown() } }
        let deadline = ContinuousClock.now + timeout
        while true {
            for daemon in state.daemons where !LocalClusterState.isAlive(daemon) {
                throw Failure("\(daemon.role) exited; its log (\(daemon.log)) ends with:\n\(tail(daemon.log))")
            }
            let nodes = (try? await client.list(Node.self).items) ?? []
            let ready = nodes.filter { node in
                node.status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } == true
            }
            let wanted = Set(layout.allMinions.map(\.name))
            let readyNames = Set(ready.compactMap(\.metadata.name))
            if wanted.isSubset(of: readyNames) {
                let network = HostNetwork(layout: layout)
                for node in ready where wanted.contains(node.metadata.name ?? "") {
                    if let cidr = node.spec?.podCIDR, let name = node.metadata.name {
                        try await network.routePodCIDR(cidr, via: name)
                    }
                }
                return
            }
            guard ContinuousClock.now < deadline else {
                throw Failure("minions not Ready after \(timeout): \(wanted.subtracting(readyNames).sorted())")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    private func startRegistry(_ layout: LocalClusterLayout) async throws -> LocalClusterState.Daemon {
        let root = directory.appendingPathComponent("registry")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let config = """
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: \(root.path)/storage
              delete:
                enabled: true
            http:
              addr: \(layout.registryHost)
              secret: orca-local
            """
        let file = root.appendingPathComponent("config.yml")
        try config.write(to: file, atomically: true, encoding: .utf8)
        let daemon = try start("registry", ["serve", file.path], executable: "/usr/bin/docker-registry")
        return daemon
    }

    /// Starts a daemon in its own session, output to `<data-dir>/logs/ROLE.log`; it outlives `orca up`.
    private func start(_ role: String, _ arguments: [String], executable: String? = nil) throws
        -> LocalClusterState.Daemon {
        let logPath = logs.appendingPathComponent("\(role).log").path
        let fd = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RuntimeError.system("open \(logPath)", errno) }
        defer { close(fd) }
        let pid = try Reaper.shared.spawn(executable ?? orca, arguments: arguments, stdout: fd, stderr: fd,
                                          newSession: true)
        // Nobody here waits for it: the daemon lives on after `orca up` exits.
        Reaper.shared.release(pid)
        let startTime = LocalClusterState.startTime(of: pid) ?? 0
        return .init(role: role, pid: pid, startTime: startTime, log: logPath)
    }

    // MARK: down

    /// Stops every daemon it started, removes every container, mount, namespace, link, route
    /// and cgroup of the cluster, and the data directory.
    public func down() async {
        let state = LocalClusterState.load(directory)
        guard let layout = state?.layout else {
            // Nothing recorded: only the data directory can go.
            for minion in minionDirectories() { await RuntimeResidue.remove(dataDirectory: minion) }
            try? FileManager.default.removeItem(at: directory)
            return
        }
        if let merged = state?.mergedKubeconfig {
            do {
                try Kubeconfig(layout).remove(fromFileAt: merged, restoring: state?.previousContext)
            } catch {
                log("could not remove the \(layout.prefix) context from \(merged): \(error)")
            }
        }
        // Minions first (so they stop heartbeating), then master and registry.
        let daemons = (state?.daemons ?? []).sorted { a, _ in a.role.hasPrefix("minion") }
        for daemon in daemons where LocalClusterState.isAlive(daemon) {
            kill(daemon.pid, SIGTERM)
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while daemons.contains(where: LocalClusterState.isAlive), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        for daemon in daemons where LocalClusterState.isAlive(daemon) { kill(daemon.pid, SIGKILL) }
        // A stopped minion leaves its containers running (as a kubelet does): remove them.
        for minion in minionDirectories() { await RuntimeResidue.remove(dataDirectory: minion) }
        // The parent of the pods' cgroups, when no other cluster's pods use it.
        RuncRuntime.removeCgroups("/orca")
        await HostNetwork(layout: layout).tearDown()
        try? FileManager.default.removeItem(at: directory)
        // `orca up` made /var/lib/orca for its default directory; an empty one goes too.
        if directory.deletingLastPathComponent().path == "/var/lib/orca" { rmdir("/var/lib/orca") }
    }

    /// The cluster's own kubeconfig (`kubectl --kubeconfig` it, or merge it yourself).
    public var kubeconfigFile: URL { directory.appendingPathComponent("kubeconfig") }

    private func minionDirectories() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasPrefix("minion-") }.sorted().map { directory.appendingPathComponent($0) }
    }

    // MARK: status

    /// The master, the registry and each minion with its IP and state.
    public func status() async -> String {
        guard let state = LocalClusterState.load(directory) else { return "no local cluster (orca up starts one)\n" }
        let layout = state.layout
        var lines = ["master:   \(layout.masterURL) (and http://127.0.0.1:\(layout.masterPort))  "
            + alive(state, "master"),
                     "registry: \(layout.registryHost)  " + alive(state, "registry")]
        var configuration = OrcaClient.Configuration(baseURL: layout.masterURL)
        configuration.retryConnecting = false
        configuration.requestTimeout = .seconds(3)
        let client = OrcaClient.owned(configuration: configuration)
        let nodes = (try? await client.list(Node.self).items) ?? []
        try? await client.shutdown()
        for (index, minion) in layout.allMinions.enumerated() {
            let node = nodes.first { $0.metadata.name == minion.name }
            let ready = node?.status?.conditions?.first { $0.type == "Ready" }?.status
            let condition = ready == "True" ? "Ready" : (node == nil ? "not registered" : "NotReady")
            lines.append("minion \(minion.name)  namespace \(minion.namespace)  \(condition)  "
                + alive(state, "minion-\(index + 1)"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func alive(_ state: LocalClusterState, _ role: String) -> String {
        guard let daemon = state.daemons.first(where: { $0.role == role }) else { return "(not started)" }
        return LocalClusterState.isAlive(daemon) ? "(pid \(daemon.pid))" : "(stopped)"
    }

    // MARK: Helpers

    private var logs: URL { directory.appendingPathComponent("logs") }

    private func tail(_ path: String) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }

    private func checkPrerequisites() throws {
        guard getuid() == 0 else { throw Failure("orca up makes network namespaces and runs containers: run it as root") }
        let needed = ["/usr/sbin/runc", "/usr/lib/cni/bridge", "/usr/lib/cni/portmap", "/usr/bin/docker-registry",
                      "/usr/bin/nsenter", "/usr/sbin/ip"]
        let missing = needed.filter { !FileManager.default.isExecutableFile(atPath: $0) }
        guard missing.isEmpty else {
            throw Failure("missing \(missing.joined(separator: ", ")): run scripts/install-deps (as root)")
        }
    }
}
