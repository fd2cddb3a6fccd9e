#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import OrcaText

#if canImport(Glibc)
import Glibc
#endif

/// Containers through Debian's `runc`: a bundle (config.json) per container, runc's state in
/// its own root so Orca's containers are never confused with anyone else's.
///
/// The kubelet process is a child subreaper (``Reaper/becomeSubreaper()``): when `runc run
/// --detach` exits, the container's init becomes its child and the ``Reaper`` sees its exit
/// status. After a kubelet restart the containers it re-adopts are no longer its children;
/// their exits are noticed by polling and reported without a status (``ContainerExit/unknown``).
public struct RuncRuntime: Sendable {
    public let runc: String
    /// runc's `--root` (its state directory).
    public let stateRoot: String
    /// Bundles (config.json, pid file) live in `<bundleRoot>/<id>`.
    public let bundleRoot: String
    /// Where the cgroup v1 controllers are mounted (the OOM counter is read there).
    public let cgroupRoot: String
    let logger: Logger

    public init(runc: String = "/usr/sbin/runc", stateRoot: String, bundleRoot: String,
                cgroupRoot: String = "/sys/fs/cgroup", logger: Logger = Logger(label: "orca.runtime")) throws {
        self.runc = runc
        self.stateRoot = stateRoot
        self.bundleRoot = bundleRoot
        self.cgroupRoot = cgroupRoot
        self.logger = logger
        for directory in [stateRoot, bundleRoot] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
    }

    /// What runc says of a container.
    public struct State: Sendable, Hashable, Decodable {
        /// `created`, `running`, `paused` or `stopped`.
        public var status: String
        public var pid: Int32
        public var id: String
        public var bundle: String?
        public var created: String?
    }

    /// Creates and starts a container; returns its init's pid once it runs.
    @discardableResult
    public func run(_ config: ContainerConfig) async throws -> pid_t {
        let bundle = bundlePath(config.id)
        try FileManager.default.createDirectory(atPath: bundle, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(config.ociSpec).write(to: URL(fileURLWithPath: bundle + "/config.json"))
        let log = open(config.logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard log >= 0 else { throw RuntimeError.system("open \(config.logPath)", errno) }
        defer { close(log) }
        // The container's init inherits runc's stdout and stderr: the log file, never a pipe
        // (a pipe would stay open as long as the container runs). runc's own errors go to
        // --log so they do not mix with the container's output.
        let runcLog = bundle + "/runc.log"
        let pidFile = bundle + "/init.pid"
        let pid = try Reaper.shared.spawn(
            runc, arguments: ["--root", stateRoot, "--log", runcLog, "--log-format", "text",
                              "run", "--detach", "--bundle", bundle, "--pid-file", pidFile, config.id],
            stdout: log, stderr: log)
        let status = try await Command.wait(pid, timeout: .seconds(60), describing: "runc run \(config.id)")
        guard status.succeeded else {
            let message = (try? String(contentsOfFile: runcLog, encoding: .utf8)) ?? ""
            _ = try? await delete(config.id)
            throw RuntimeError.command("runc run \(config.id)", status, output: Self.lastError(message))
        }
        let text = try String(contentsOfFile: pidFile, encoding: .utf8)
        guard let initPID = pid_t(text.trimmingWhitespaceAndNewlines()) else {
            throw RuntimeError.command("runc run \(config.id)", status, output: "unreadable pid file: \(text)")
        }
        _ = Reaper.shared.adopt(initPID)
        return initPID
    }

    /// runc's state of one container, nil when it does not exist.
    public func state(_ id: String) async throws -> State? {
        let output = try await Command(runc, ["--root", stateRoot, "state", id]).output(timeout: .seconds(30))
        guard output.status.succeeded else { return nil }
        return try JSONDecoder().decode(State.self, from: output.stdout)
    }

    /// Every container in this runtime's state root.
    public func list() async throws -> [State] {
        let data = try await Command(runc, ["--root", stateRoot, "list", "--format", "json"]).run(timeout: .seconds(30))
        // runc prints `null` when there are none.
        return (try? JSONDecoder().decode([State]?.self, from: data) ?? []) ?? []
    }

    /// Sends `signal` to the container's init (the whole container dies with it: pid namespace).
    public func kill(_ id: String, signal: Int32) async throws {
        let output = try await Command(runc, ["--root", stateRoot, "kill", id, String(signal)]).output()
        // Killing a container that already stopped is not an error worth reporting.
        if !output.status.succeeded, try await state(id)?.status == "running" {
            throw RuntimeError.command("runc kill \(id)", output.status, output: output.stderrText)
        }
    }

    /// Waits for the container's init to exit. The status is known when it is this process's
    /// child; a re-adopted container's is not.
    public func wait(_ id: String, pid: pid_t) async -> ContainerExit {
        if Reaper.shared.adopt(pid) {
            return .exited(await Reaper.shared.wait(for: pid))
        }
        while Glibc.kill(pid, 0) == 0 || errno == EPERM {
            try? await Task.sleep(for: .milliseconds(250))
        }
        return .unknown
    }

    /// Whether the kernel's OOM killer killed a process in the container's cgroup (read before delete).
    public func oomKilled(cgroupPath: String) -> Bool {
        let path = cgroupRoot + "/memory" + cgroupPath + "/memory.oom_control"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return false }
        for line in text.split(separator: "\n") where line.hasPrefix("oom_kill ") {
            return (Int(line.dropFirst("oom_kill ".count)) ?? 0) > 0
        }
        return false
    }

    /// Removes the container (killing it if it still runs), its runc state, cgroups and bundle.
    public func delete(_ id: String) async throws {
        let output = try await Command(runc, ["--root", stateRoot, "delete", "--force", id]).output()
        if !output.status.succeeded, !output.stderrText.contains("does not exist"),
           !output.stderrText.contains("not exist") {
            throw RuntimeError.command("runc delete \(id)", output.status, output: output.stderrText)
        }
        try? FileManager.default.removeItem(atPath: bundlePath(id))
    }

    public func bundlePath(_ id: String) -> String { bundleRoot + "/" + id }

    /// Removes a parent cgroup (`/orca/<pod>`) from every v1 controller once its containers
    /// are deleted (runc removes only the containers' own).
    public func removeCgroups(_ path: String) { Self.removeCgroups(path, cgroupRoot: cgroupRoot) }

    /// Removes an (empty) cgroup and its empty children from every controller under `cgroupRoot`.
    public static func removeCgroups(_ path: String, cgroupRoot: String = "/sys/fs/cgroup") {
        let controllers = (try? FileManager.default.contentsOfDirectory(atPath: cgroupRoot)) ?? []
        for controller in controllers {
            let directory = cgroupRoot + "/" + controller + path
            // Leftover children first (a container whose delete failed), then the parent.
            for child in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where !child.contains(".") {
                rmdir(directory + "/" + child)
            }
            rmdir(directory)
        }
    }

    /// runc's text log ends with the line that says what went wrong.
    private static func lastError(_ log: String) -> String {
        let lines = log.split(separator: "\n").filter { $0.contains("level=error") || $0.contains("error") }
        guard let last = lines.last ?? log.split(separator: "\n").last else { return "" }
        if let range = last.firstRange(of: "msg=") {
            var message = last[range.upperBound...]
            while message.first == "\"" { message = message.dropFirst() }
            while message.last == "\"" { message = message.dropLast() }
            return String(message)
        }
        return String(last)
    }
}

/// How a container's process ended, as far as the node can tell.
public enum ContainerExit: Sendable, Hashable {
    case exited(ExitStatus)
    /// It ended while the kubelet was not its parent (re-adopted after a restart).
    case unknown
}
