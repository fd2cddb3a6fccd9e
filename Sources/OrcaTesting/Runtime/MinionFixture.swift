import Foundation
import OrcaAPI
import OrcaClient
import OrcaRuntime

/// A real one-minion cluster for kubelet tests: the built `orca master` on the host end of a
/// veth (10.245.N.1), and the built `orca minion` run with `nsenter --net` in a network
/// namespace of its own (10.245.N.2), so its bridge, pod veths, routes and iptables rules
/// live only there. The minion's image store is preloaded with the busybox test image as
/// `busybox:latest` (pods use `imagePullPolicy: IfNotPresent`).
///
/// ``with(_:)`` removes everything however the test ends: pods are deleted and the kubelet's
/// cleanup awaited, then any leftover container, mount or namespace is removed by force
/// (and reported through ``leftovers()`` before that, for tests that check the cleanup).
public final class MinionFixture: Sendable {
    public let tag: String
    public let namespace: String
    /// The veth's /24, `10.245.N` with N in 100...199 picked at random, so fixtures of
    /// different processes (a test run beside a benchmark) never share an address.
    public let subnet: String
    public var hostIP: String { "\(subnet).1" }
    public var minionIP: String { "\(subnet).2" }
    public let nodeName: String
    public let directory: URL
    public let master: MasterProcess
    public let client: OrcaClient
    private let minionBox = LockedBox<DaemonProcess?>(nil)
    /// With `registry: true`: Debian's docker-registry on the host end of the veth, holding the
    /// busybox test image as `library/busybox:latest`; the minion uses it as its docker.io mirror.
    public let registry: TestRegistry?

    public static var missing: [String] {
        NetworkFixture.missing + BusyboxRootfs.missing + TestImages.missing
            + (BuiltBinaries.available("orca") ? [] : ["the orca executable"])
            + (BuiltBinaries.available("orca-minion") ? [] : ["the orca-minion executable (orca minion runs it)"])
    }

    public static var available: Bool { ProcessInfo.processInfo.environment["CI"] == "true" || missing.isEmpty }

    private init(tag: String, subnet: String, directory: URL, master: MasterProcess, registry: TestRegistry?) {
        self.tag = tag
        self.subnet = subnet
        self.registry = registry
        namespace = "orca-tm-\(tag)"
        nodeName = "minion-\(tag)"
        self.directory = directory
        self.master = master
        var configuration = OrcaClient.Configuration(baseURL: master.url)
        configuration.requestTimeout = .seconds(10)
        client = OrcaClient.owned(configuration: configuration)
    }

    public var dataDirectory: URL { directory.appendingPathComponent("minion") }
    public var runcRoot: String { dataDirectory.appendingPathComponent("runc").path }
    public var minion: DaemonProcess? { minionBox.value }

    /// Makes the namespace, starts master and minion (waiting until the minion is Ready), runs
    /// `body`, and removes everything.
    public static func with<R: Sendable>(registry withRegistry: Bool = false,
                                         _ body: (MinionFixture) async throws -> R) async throws -> R {
        let tag = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orca-minion-\(tag)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let namespace = "orca-tm-\(tag)"
        let subnet = "10.245.\(Int.random(in: 100...199))"
        do {
            try await ip("netns", "add", namespace)
            try await ip("link", "add", "oh-\(tag)", "type", "veth", "peer", "name", "eth0", "netns", namespace)
            try await ip("addr", "add", "\(subnet).1/24", "dev", "oh-\(tag)")
            try await ip("link", "set", "oh-\(tag)", "up")
            try await ip("-n", namespace, "addr", "add", "\(subnet).2/24", "dev", "eth0")
            try await ip("-n", namespace, "link", "set", "eth0", "up")
            try await ip("-n", namespace, "link", "set", "lo", "up")
            try await preloadImage(into: directory.appendingPathComponent("minion/images"))
        } catch {
            await removeNetwork(namespace: namespace, tag: tag)
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        let master: MasterProcess
        var registry: TestRegistry?
        do {
            if withRegistry {
                registry = try await TestRegistry.start(address: "\(subnet).1")
                try await registry?.push(layout: TestImages.layout(), tag: TestImages.latest, as: "library/busybox")
            }
            master = try await MasterProcess.start(host: "\(subnet).1")
        } catch {
            await registry?.stop()
            await removeNetwork(namespace: namespace, tag: tag)
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        let fixture = MinionFixture(tag: tag, subnet: subnet, directory: directory, master: master, registry: registry)
        do {
            try await fixture.startMinion()
            try await fixture.waitUntilReady()
            let result = try await body(fixture)
            await fixture.tearDown()
            return result
        } catch {
            await fixture.tearDown()
            throw error
        }
    }

    /// Starts `orca minion` in the namespace (again, after ``stopMinion()``).
    public func startMinion() async throws {
        let orca = try BuiltBinaries.path("orca")
        let daemon = try DaemonProcess("/usr/bin/nsenter", [
            "--net=/var/run/netns/\(namespace)", orca, "minion", "--master", master.url, "--name", nodeName,
            "--host-ip", minionIP, "--listen", "\(minionIP):10250", "--data-dir", dataDirectory.path,
            "--heartbeat-interval", "1", "--log-level", "debug",
        ] + (registry.map { ["--registry-mirror", "docker.io=http://\($0.host)", "--insecure-registry", $0.host] } ?? []),
            logURL: directory.appendingPathComponent("minion.log"))
        minionBox.value = daemon
    }

    /// SIGTERM to `orca minion` (its containers keep running); its exit status.
    @discardableResult
    public func stopMinion() async throws -> ExitStatus? {
        guard let daemon = minionBox.value else { return nil }
        minionBox.value = nil
        return try await daemon.stop(grace: .seconds(20))
    }

    /// Waits until the Node reports Ready.
    public func waitUntilReady(limit: Duration = .seconds(30)) async throws {
        try await eventually("minion \(nodeName) Ready", limit: limit) {
            let node = try? await client.get(Node.self, name: nodeName)
            return node?.status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } == true
        }
    }

    /// Polls `check` every 100 ms until it is true; throws with the minion's log after `limit`.
    public func eventually(_ what: String, limit: Duration = .seconds(60),
                           _ check: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if try await check() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw DaemonError("waited \(limit) for \(what)\n\(minionLog.suffix(6000))")
    }

    public var minionLog: String {
        (try? String(contentsOf: directory.appendingPathComponent("minion.log"), encoding: .utf8)) ?? ""
    }

    /// A busybox pod (the test image) running `script` in container `name` per entry.
    public static func pod(_ name: String, containers: [(name: String, script: String)],
                           restartPolicy: RestartPolicy = .always, volumes: [Volume]? = nil,
                           mounts: [VolumeMount]? = nil, ports: [ContainerPort]? = nil,
                           memoryLimit: String? = nil, image: String = "busybox:latest") -> Pod {
        var pod = Pod(metadata: ObjectMeta(name: name, namespace: "default", labels: ["test": name]))
        pod.spec = PodSpec(containers: containers.map { entry in
            var container = Container(name: entry.name, image: image, command: ["/bin/sh", "-c", entry.script])
            container.imagePullPolicy = .ifNotPresent
            container.volumeMounts = mounts
            container.ports = ports
            if let memoryLimit { container.resources = ResourceRequirements(limits: ["memory": Quantity(memoryLimit)!]) }
            return container
        }, volumes: volumes, restartPolicy: restartPolicy)
        pod.spec?.terminationGracePeriodSeconds = 2
        return pod
    }

    /// Creates the pod and binds it to the minion (no scheduler race in what a test expects).
    @discardableResult
    public func run(_ pod: Pod) async throws -> Pod {
        var pod = pod
        pod.spec?.nodeName = nodeName
        return try await client.create(pod)
    }

    /// The pod's status once `condition` holds for it.
    @discardableResult
    public func waitFor(_ name: String, _ what: String, limit: Duration = .seconds(60),
                        _ condition: @escaping (Pod) -> Bool) async throws -> Pod {
        var last: Pod?
        do {
            try await eventually("\(name): \(what)", limit: limit) {
                last = try? await client.get(Pod.self, name: name)
                return last.map(condition) ?? false
            }
        } catch {
            throw DaemonError("\(error)\nlast pod status: \(String(describing: last?.status))")
        }
        return last!
    }

    /// What is left on the machine of the minion's pods: runc containers, rootfs mounts, pod
    /// namespaces, veths in the minion namespace, allocated IPs.
    public func leftovers() async -> [String] {
        var found: [String] = []
        let runc = try? await Command("/usr/sbin/runc", ["--root", runcRoot, "list", "-q"]).run()
        found += String(decoding: runc ?? Data(), as: UTF8.self).split(separator: "\n").map { "container \($0)" }
        let mounts = ProcFile.mountInfo
        found += mounts.split(separator: "\n").filter { $0.contains(dataDirectory.path) }.map { "mount \($0)" }
        let sandboxes = (try? FileManager.default.contentsOfDirectory(
            atPath: dataDirectory.appendingPathComponent("network/sandboxes").path)) ?? []
        found += sandboxes.map { "sandbox record \($0)" }
        for record in sandboxes {
            let name = "orca-pod-" + record.replacingOccurrences(of: ".json", with: "")
            if FileManager.default.fileExists(atPath: "/var/run/netns/\(name)") { found.append("netns \(name)") }
        }
        let links = try? await Command("/usr/sbin/ip", ["-n", namespace, "-o", "link", "show", "type", "veth"]).run()
        found += String(decoding: links ?? Data(), as: UTF8.self).split(separator: "\n")
            .filter { !$0.contains(" eth0@") }.map { "veth \($0.prefix(40))" }
        let ipam = (try? FileManager.default.contentsOfDirectory(
            atPath: dataDirectory.appendingPathComponent("network/ipam/orca").path)) ?? []
        found += ipam.filter { $0.first?.isNumber == true }.map { "ip \($0)" }
        let pods = (try? FileManager.default.contentsOfDirectory(
            atPath: dataDirectory.appendingPathComponent("pods").path)) ?? []
        found += pods.map { "pod directory \($0)" }
        return found
    }

    // MARK: Setup and teardown

    private static func ip(_ arguments: String...) async throws {
        try await Command("/usr/sbin/ip", arguments).run()
    }

    private static func preloadImage(into root: URL) async throws {
        let archive = root.deletingLastPathComponent().appendingPathComponent("busybox.tar")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try await TestImages.dockerArchive(tag: TestImages.latest, name: "busybox:latest", at: archive)
        let store = try ImageStore(root: root)
        _ = try await store.load(archive: archive)
        try? FileManager.default.removeItem(at: archive)
    }

    private func tearDown() async {
        // Let the kubelet remove its pods the normal way first.
        if let pods = try? await client.list(Pod.self).items {
            for pod in pods { try? await client.delete(Pod.self, name: pod.metadata.name ?? "") }
            if minion?.isRunning == true {
                try? await eventually("the minion removes its pods", limit: .seconds(30)) {
                    await leftovers().isEmpty
                }
            }
        }
        _ = try? await stopMinion()
        if let keep = ProcessInfo.processInfo.environment["ORCA_TEST_KEEP_LOGS"] {
            try? FileManager.default.copyItem(at: directory.appendingPathComponent("minion.log"),
                                              to: URL(fileURLWithPath: keep + "/minion-\(tag).log"))
        }
        _ = try? await master.stop()
        await registry?.stop()
        try? await client.shutdown()
        await forceClean()
        await Self.removeNetwork(namespace: namespace, tag: tag)
        try? FileManager.default.removeItem(at: directory)
    }

    /// Whatever the kubelet did not remove: containers, rootfs mounts, pod namespaces, cgroups.
    private func forceClean() async {
        await RuntimeResidue.remove(dataDirectory: dataDirectory)
        RuncRuntime.removeCgroups("/orca")
    }

    private static func removeNetwork(namespace: String, tag: String) async {
        _ = try? await Command("/usr/sbin/ip", ["netns", "delete", namespace]).output()
        _ = try? await Command("/usr/sbin/ip", ["link", "delete", "oh-\(tag)"]).output()
    }
}

/// A value behind a lock, for the few mutable fields of Sendable fixtures.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
