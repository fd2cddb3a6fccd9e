#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OrcaAPI
import OrcaRuntime

#if canImport(Glibc)
import Glibc
#endif

extension PodManager {
    /// Starts the container if it should run and does not: first start, or a restart the
    /// policy allows once its backoff has passed.
    func syncContainer(_ key: String, _ pod: Pod, _ container: Container, volumes: [String: String],
                       serviceEnvironment: [EnvVar]) async {
        guard let record = record(key) else { return }
        let current = record.container(container.name)
        if current.isRunning { return }
        let now = ContinuousClock.now
        if current.hasStarted {
            guard let termination = current.termination else {
                // Waiting for a restart (backoff) or a failed start: fall through to the checks below.
                return await startIfDue(key, pod, container, current, now: now, volumes: volumes,
                                        serviceEnvironment: serviceEnvironment)
            }
            let policy = pod.spec?.restartPolicy ?? .always
            let restart = switch policy {
            case .always: true
            case .onFailure: termination.exitCode != 0
            case .never: false
            }
            guard restart else { return }
        }
        await startIfDue(key, pod, container, current, now: now, volumes: volumes,
                         serviceEnvironment: serviceEnvironment)
    }

    private func startIfDue(_ key: String, _ pod: Pod, _ container: Container, _ current: ContainerRecord,
                            now: ContinuousClock.Instant, volumes: [String: String],
                            serviceEnvironment: [EnvVar]) async {
        if current.backoff.isWaiting(now: now), let until = current.backoff.until {
            updateContainer(key, container.name) { record in
                if let termination = record.termination { record.lastTermination = termination }
                record.state = .waiting(reason: "CrashLoopBackOff", message:
                    "back-off \(Self.seconds(record.backoff.delay)) restarting failed container=\(container.name) pod=\(key)")
            }
            workers.enqueue(key, after: until - now)
            return
        }
        if current.pullBackoff.isWaiting(now: now), let until = current.pullBackoff.until {
            updateContainer(key, container.name) { record in
                let message = if case .waiting(_, let message) = record.state { message } else { String?.none }
                record.state = .waiting(reason: "ImagePullBackOff", message: message ?? "Back-off pulling image \"\(container.image ?? "")\"")
            }
            workers.enqueue(key, after: until - now)
            return
        }
        let image: Image
        do {
            image = try await images.ensure(container.image ?? "", policy: Self.pullPolicy(container))
        } catch {
            logger.warning("image pull failed", metadata: ["pod": "\(key)", "image": "\(container.image ?? "")",
                                                           "error": "\(error)"])
            var delay = Duration.zero
            updateContainer(key, container.name) { record in
                // The same doubling as a crash loop; a pull never "ran", so it never resets by itself.
                record.pullBackoff.exited(after: .zero, now: .now, initial: configuration.backoffInitial,
                                          cap: configuration.backoffCap, reset: configuration.backoffReset)
                delay = record.pullBackoff.delay ?? configuration.backoffInitial
                record.state = .waiting(reason: Self.pullFailureReason(error), message: "\(error)")
            }
            // Halfway through the wait a sync shows ImagePullBackOff; at its end the pull is tried again.
            workers.enqueue(key, after: delay / 2)
            return
        }
        updateContainer(key, container.name) { record in
            record.pullBackoff = RestartBackoff()
        }
        await start(key, pod, container, image: image, attempt: current.attempt, volumes: volumes,
                    serviceEnvironment: serviceEnvironment)
    }

    /// Makes the rootfs and runs the container; records it running and watches for its exit.
    private func start(_ key: String, _ pod: Pod, _ container: Container, image: Image, attempt: Int,
                       volumes: [String: String], serviceEnvironment: [EnvVar]) async {
        let uid = pod.metadata.uid ?? ""
        let id = Self.runcID(uid: uid, container: container.name, attempt: attempt)
        let rootfsPath = podDirectory(uid).appendingPathComponent("rootfs/\(id)")
        let logPath = logFile(uid: uid, container: container.name, attempt: attempt)
        let sandbox = record(key)?.sandbox
        do {
            try FileManager.default.createDirectory(at: logPath.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            // Leftovers of an interrupted earlier try; a first start has none (saves a runc run).
            if FileManager.default.fileExists(atPath: rootfsPath.path) { try? Rootfs.remove(at: rootfsPath) }
            if FileManager.default.fileExists(atPath: runtime.bundlePath(id)) { try? await runtime.delete(id) }
            let mode = configuration.rootfsMode
            let rootfs = try await Task.detached { try Rootfs.make(for: image, at: rootfsPath, mode: mode) }.value
            let resolvConf = try writeResolvConf(pod)
            var builder = ContainerConfigBuilder(
                pod: pod, container: container, image: image, runcID: id, rootfs: rootfs.path.path,
                logPath: logPath.path, networkNamespace: sandbox?.path, volumes: volumes,
                hostsFile: podDirectory(uid).appendingPathComponent("etc-hosts").path,
                serviceEnvironment: serviceEnvironment, cgroupParent: "/orca/\(uid)")
            builder.resolvConf = resolvConf
            let config: ContainerConfig
            do {
                config = try builder.build()
            } catch {
                try? Rootfs.remove(at: rootfsPath)
                failStart(key, container, reason: "CreateContainerConfigError", error)
                return
            }
            let startedAt = Timestamp.now()
            let pid = try await runtime.run(config)
            updateContainer(key, container.name) { record in
                if let termination = record.termination { record.lastTermination = termination }
                record.state = .running(startedAt: startedAt)
                record.attempt = attempt + 1
                record.runcID = id
                record.pid = pid
                record.cgroupPath = config.cgroupPath
                record.imageID = image.id.description
            }
            logger.info("container started", metadata: ["pod": "\(key)", "container": "\(container.name)",
                                                         "attempt": "\(attempt)"])
            watchExit(key, container: container.name, id: id, pid: pid, cgroupPath: config.cgroupPath,
                      startedAt: startedAt)
        } catch {
            try? Rootfs.remove(at: rootfsPath)
            failStart(key, container, reason: "RunContainerError", error)
        }
    }

    /// A start that failed counts as a crash: the next try waits for the backoff.
    private func failStart(_ key: String, _ container: Container, reason: String, _ error: any Error) {
        logger.warning("cannot start container", metadata: ["pod": "\(key)", "container": "\(container.name)",
                                                            "error": "\(error)"])
        var delay = Duration.zero
        updateContainer(key, container.name) { record in
            record.state = .waiting(reason: reason, message: "\(error)")
            record.backoff.exited(after: .zero, now: .now, initial: configuration.backoffInitial,
                                  cap: configuration.backoffCap, reset: configuration.backoffReset)
            delay = record.backoff.delay ?? configuration.backoffInitial
        }
        workers.enqueue(key, after: delay)
    }

    /// Waits for the instance to end, records how, removes it, and syncs the pod again.
    func watchExit(_ key: String, container: String, id: String, pid: pid_t, cgroupPath: String,
                   startedAt: Timestamp) {
        Task {
            let exit = await runtime.wait(id, pid: pid)
            let oom = runtime.oomKilled(cgroupPath: cgroupPath)
            let finishedAt = Timestamp.now()
            let termination = Self.termination(exit, oomKilled: oom, id: id, startedAt: startedAt, finishedAt: finishedAt)
            try? await runtime.delete(id)
            if let uid = Self.parseRuncID(id)?.uid {
                try? Rootfs.remove(at: podDirectory(uid).appendingPathComponent("rootfs/\(id)"))
            }
            let ran = finishedAt.date.timeIntervalSince(startedAt.date)
            updateContainer(key, container) { record in
                guard record.runcID == id else { return }
                record.state = .terminated(termination)
                record.pid = nil
                record.backoff.exited(after: .milliseconds(Int64(ran * 1000)), now: .now,
                                      initial: configuration.backoffInitial, cap: configuration.backoffCap,
                                      reset: configuration.backoffReset)
            }
            logger.info("container exited", metadata: ["pod": "\(key)", "container": "\(container)",
                                                       "exitCode": "\(termination.exitCode)",
                                                       "reason": "\(termination.reason)"])
            workers.enqueue(key)
        }
    }

    static func termination(_ exit: ContainerExit, oomKilled: Bool, id: String, startedAt: Timestamp?,
                            finishedAt: Timestamp) -> ContainerRecord.Termination {
        let containerID = "runc://" + id
        switch exit {
        case .exited(let status):
            let signal: Int32? = if case .signaled(let number) = status { number } else { nil }
            let reason = oomKilled ? "OOMKilled" : status.succeeded ? "Completed" : "Error"
            return .init(exitCode: status.code, signal: signal, reason: reason, startedAt: startedAt,
                         finishedAt: finishedAt, containerID: containerID)
        case .unknown:
            // It ended while this kubelet was not its parent: no status to read.
            return .init(exitCode: oomKilled ? 137 : 255, signal: nil,
                         reason: oomKilled ? "OOMKilled" : "ContainerStatusUnknown",
                         startedAt: startedAt, finishedAt: finishedAt, containerID: containerID)
        }
    }

    /// Kubernetes' waiting reasons for a failed pull.
    static func pullFailureReason(_ error: any Error) -> String {
        switch error as? ImageError {
        case .notPresent: "ErrImageNeverPull"
        case .invalidReference: "InvalidImageName"
        default: "ErrImagePull"
        }
    }

    static func pullPolicy(_ container: Container) -> OrcaRuntime.PullPolicy {
        switch container.imagePullPolicy {
        case .always: .always
        case .never: .never
        case .ifNotPresent: .ifNotPresent
        case nil:
            (try? ImageReference(parsing: container.image ?? "")).map { OrcaRuntime.PullPolicy.default(for: $0) }
                ?? .ifNotPresent
        }
    }

    func logFile(uid: String, container: String, attempt: Int) -> URL {
        podDirectory(uid).appendingPathComponent("logs/\(container)/\(attempt).log")
    }

    static func seconds(_ duration: Duration?) -> String {
        guard let duration else { return "0s" }
        let seconds = duration.components.seconds
        return seconds >= 60 ? "\(seconds / 60)m\(seconds % 60)s" : "\(seconds)s"
    }
}
