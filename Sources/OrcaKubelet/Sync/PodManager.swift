#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import OrcaAPI
import OrcaClient
import OrcaRuntime
import Synchronization

/// Supplies the seed's service environment variables for a pod's containers
/// (`{NAME}_SERVICE_HOST`, `{NAME}_SERVICE_PORT`, ...). The services work fills it in;
/// until then the kubelet adds none.
public protocol ServiceEnvironmentProvider: Sendable {
    func environment(for pod: Pod) async -> [EnvVar]
}

/// No service variables.
public struct NoServiceEnvironment: ServiceEnvironmentProvider {
    public init() {}
    public func environment(for pod: Pod) async -> [EnvVar] { [] }
}

/// Turns the pods bound to this minion into running containers and reports their status.
///
/// A sync of one pod (never two at once for the same pod: ``PodWorkers``) goes network
/// sandbox -> volumes -> image -> containers, then writes the status if it changed. A
/// container's exit is noticed by its watcher task, recorded, and triggers another sync,
/// which restarts it after the backoff as the restart policy says.
final class PodManager: Sendable {
    let configuration: KubeletConfiguration
    let client: OrcaClient
    let images: ImageStore
    let runtime: RuncRuntime
    let network: Mutex<PodNetwork?>
    let services: any ServiceEnvironmentProvider
    let logger: Logger
    let records = Mutex<[String: PodRecord]>([:])
    /// The pods as the master has them (set by the kubelet: its informer's cache).
    let desired: @Sendable (String) -> Pod?
    let workersBox = Mutex<PodWorkers?>(nil)

    init(configuration: KubeletConfiguration, client: OrcaClient, images: ImageStore, runtime: RuncRuntime,
         services: any ServiceEnvironmentProvider, logger: Logger, desired: @escaping @Sendable (String) -> Pod?) {
        self.configuration = configuration
        self.client = client
        self.images = images
        self.runtime = runtime
        self.network = Mutex(nil)
        self.services = services
        self.logger = logger
        self.desired = desired
    }

    var workers: PodWorkers {
        workersBox.withLock { box in
            if let box { return box }
            let made = PodWorkers { [weak self] key in await self?.sync(key) }
            box = made
            return made
        }
    }

    func record(_ key: String) -> PodRecord? { records.withLock { $0[key] } }

    func update(_ key: String, _ body: (inout PodRecord) -> Void) {
        records.withLock { records in
            if var record = records[key] {
                body(&record)
                records[key] = record
            }
        }
    }

    func updateContainer(_ key: String, _ name: String, _ body: (inout ContainerRecord) -> Void) {
        update(key) { record in
            var container = record.container(name)
            body(&container)
            record.containers[name] = container
        }
    }

    // MARK: Sync

    /// Brings one pod to its desired state.
    func sync(_ key: String) async {
        guard let pod = desired(key), pod.spec?.nodeName == configuration.nodeName else {
            await terminate(key)
            return
        }
        let uid = pod.metadata.uid ?? ""
        if let existing = record(key), existing.uid != uid {
            // Deleted and created again under the same name: the old one goes first.
            await terminate(key)
        }
        let isNew = records.withLock { records -> Bool in
            if var record = records[key] {
                record.pod = pod
                records[key] = record
                return false
            }
            var record = PodRecord(pod: pod)
            record.startTime = .now()
            records[key] = record
            return true
        }
        if isNew { logger.info("pod added", metadata: ["pod": "\(key)"]) }
        if let phase = pod.status?.phase, phase == .succeeded || phase == .failed,
           !(record(key)?.containers.values.contains(where: \.isRunning) ?? false) {
            // A finished pod stays finished: its containers are not started again, and its
            // final status (written when it finished) stands.
            return
        }
        guard await ensureSandbox(key, pod) else {
            await report(key)
            workers.enqueue(key, after: .seconds(2))
            return
        }
        let volumes: [String: String]
        do {
            volumes = try prepareVolumes(pod)
        } catch {
            for container in pod.spec?.containers ?? [] where !(record(key)?.container(container.name).isRunning ?? false) {
                updateContainer(key, container.name) {
                    $0.state = .waiting(reason: "CreateContainerConfigError", message: "\(error)")
                }
            }
            await report(key)
            workers.enqueue(key, after: .seconds(5))
            return
        }
        let environment = await services.environment(for: pod)
        for container in pod.spec?.containers ?? [] {
            await syncContainer(key, pod, container, volumes: volumes, serviceEnvironment: environment)
        }
        await report(key)
    }

    /// Makes the pod's network sandbox if it has none; false (with the reason recorded) when it fails.
    func ensureSandbox(_ key: String, _ pod: Pod) async -> Bool {
        if record(key)?.sandbox != nil { return true }
        guard let network = network.withLock({ $0 }) else {
            update(key) { $0.sandboxError = "the minion has no pod CIDR yet" }
            return false
        }
        let uid = pod.metadata.uid ?? ""
        let ports = (pod.spec?.containers ?? []).flatMap { $0.ports ?? [] }.compactMap { port -> PodNetwork.PortMapping? in
            guard let hostPort = port.hostPort, hostPort > 0 else { return nil }
            return PodNetwork.PortMapping(hostPort: hostPort, containerPort: port.containerPort,
                                          protocol: port.protocol?.rawValue ?? "TCP")
        }
        do {
            let sandbox = try await network.setUp(id: uid, portMappings: ports)
            try writeHostsFile(pod, ip: sandbox.ip)
            update(key) {
                $0.sandbox = sandbox
                $0.sandboxError = nil
            }
            return true
        } catch {
            logger.warning("cannot set up the pod's network", metadata: ["pod": "\(key)", "error": "\(error)"])
            update(key) { $0.sandboxError = "\(error)" }
            for container in pod.spec?.containers ?? [] {
                updateContainer(key, container.name) { record in
                    if !record.hasStarted {
                        record.state = .waiting(reason: "ContainerCreating", message: "network: \(error)")
                    }
                }
            }
            return false
        }
    }

    /// Writes the status when it differs from the last one written.
    func report(_ key: String) async {
        guard let record = record(key) else { return }
        let status = PodStatusBuilder.status(of: record, hostIP: configuration.hostIP, now: .now())
        guard !Self.sameStatus(status, record.reported) else { return }
        var pod = record.pod
        pod.status = status
        do {
            let written: Pod
            do {
                written = try await client.updateStatus(pod)
            } catch let error as APIError where error.reason == .conflict {
                // The pod changed meanwhile (a label, another status write): ours wins for status.
                var latest = try await client.get(Pod.self, name: pod.metadata.name ?? "",
                                                  namespace: pod.metadata.namespace ?? "default")
                guard latest.metadata.uid == record.uid else { return }
                latest.status = status
                written = try await client.updateStatus(latest)
            }
            update(key) {
                $0.reported = status
                $0.pod.metadata.resourceVersion = written.metadata.resourceVersion
            }
        } catch let error as APIError where error.reason == .notFound {
            // Deleted: the watch brings the deletion, and the sync then removes everything.
        } catch {
            logger.warning("cannot write the pod's status", metadata: ["pod": "\(key)", "error": "\(error)"])
            workers.enqueue(key, after: .seconds(1))
        }
    }

    /// Statuses equal apart from condition timestamps of unchanged conditions.
    static func sameStatus(_ a: PodStatus, _ b: PodStatus?) -> Bool { a == b }

    var podsDirectory: URL { configuration.podsDirectory }

    func podDirectory(_ uid: String) -> URL { podsDirectory.appendingPathComponent(uid) }

    /// The runc id of a container instance: pod UID, container name, attempt (all a restarted
    /// kubelet needs to re-adopt it).
    static func runcID(uid: String, container: String, attempt: Int) -> String { "\(uid)_\(container)_\(attempt)" }

    static func parseRuncID(_ id: String) -> (uid: String, container: String, attempt: Int)? {
        let parts = id.split(separator: "_").map(String.init)
        guard parts.count == 3, let attempt = Int(parts[2]) else { return nil }
        return (parts[0], parts[1], attempt)
    }
}
