import BenchSupport
import AsyncHTTPClient
import Foundation
import Glibc

/// One `orca master` and its `orca hollow` processes, in a directory of their own under the run's
/// temp dir. ``stop()`` stops every child by pid (hollows first, then the master).
final class Cluster: @unchecked Sendable {
    let master: ChildProcess
    let url: String
    let directory: URL
    let http: HTTP
    private let orca: String
    private let lock = NSLock()
    private var hollowProcesses: [ChildProcess] = []

    private init(master: ChildProcess, url: String, directory: URL, orca: String, http: HTTP) {
        self.master = master
        self.url = url
        self.directory = directory
        self.orca = orca
        self.http = http
    }

    /// Starts `orca master` (SQLite in `directory/data`, a free loopback port) and waits (at most
    /// 30 s) until `/healthz` answers.
    static func start(orca: String, directory: URL, client: HTTPClient, logLevel: String,
                      extraArguments: [String]) async throws -> Cluster {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let port = try freePort()
        let url = "http://127.0.0.1:\(port)"
        let master = try ChildProcess.start(
            name: "master", binary: orca,
            arguments: ["master", "--data-dir", directory.appendingPathComponent("data").path,
                        "--listen", "127.0.0.1:\(port)", "--log-level", logLevel] + extraArguments,
            logPath: directory.appendingPathComponent("master.log").path)
        let cluster = Cluster(master: master, url: url, directory: directory, orca: orca,
                              http: HTTP(client: client, base: url))
        do {
            try await cluster.waitUntilHealthy(limit: 30)
        } catch {
            await cluster.stop()
            throw error
        }
        return cluster
    }

    var hollows: [ChildProcess] { lock.withLock { hollowProcesses } }

    /// Starts `orca hollow --count N --name-prefix P` against this master.
    @discardableResult
    func startHollow(name: String, count: Int, prefix: String, heartbeatInterval: Double, firstHostIP: String,
                     logLevel: String) throws -> ChildProcess {
        let child = try ChildProcess.start(
            name: name, binary: orca,
            arguments: ["hollow", "--master", url, "--count", "\(count)", "--name-prefix", prefix,
                        "--heartbeat-interval", "\(heartbeatInterval)", "--first-host-ip", firstHostIP,
                        "--log-level", logLevel],
            logPath: directory.appendingPathComponent("\(name).log").path)
        lock.withLock { hollowProcesses.append(child) }
        return child
    }

    /// Polls the nodes every 500 ms until `count` are Ready; returns the seconds it took.
    func waitForReadyMinions(_ count: Int, limit: Double) async throws -> Double {
        let start = Nanos.now()
        let deadline = start + Nanos.from(seconds: limit)
        var ready = 0
        while Nanos.now() < deadline {
            try checkAlive()
            if let nodes = try? await http.nodes() {
                ready = nodes.count { $0.isReady }
                if ready >= count { return Nanos.seconds(Nanos.now() - start) }
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw BenchError("only \(ready) of \(count) minions were Ready after \(limit) s")
    }

    /// Throws when the master or a hollow process has exited (a killed one is expected to be gone,
    /// so pass `except`).
    func checkAlive(except gone: Set<Int32> = []) throws {
        for child in [master] + hollows where !gone.contains(child.pid) {
            if let status = child.exitStatus {
                throw BenchError("\(child.name) (pid \(child.pid)) exited with status \(status); its log ends:\n"
                    + String(child.log.suffix(3_000)))
            }
        }
    }

    /// Stops the hollow processes, then the master: SIGTERM, SIGKILL after 15 s. Returns the exit
    /// statuses by child name.
    @discardableResult
    func stop() async -> [String: Int32] {
        var statuses: [String: Int32] = [:]
        for hollow in hollows {
            statuses[hollow.name] = await hollow.stop()
        }
        statuses[master.name] = await master.stop()
        return statuses
    }

    /// The end of a child's log (the master's by default), for failure reports.
    func logTail(_ child: ChildProcess? = nil, bytes: Int = 2_000) -> String {
        String((child ?? master).log.suffix(bytes))
    }

    private func waitUntilHealthy(limit: Double) async throws {
        let deadline = Nanos.now() + Nanos.from(seconds: limit)
        var last = "no answer yet"
        while Nanos.now() < deadline {
            guard master.isRunning else {
                throw BenchError("the master exited with status \(master.exitStatus ?? -1) before /healthz\n"
                    + logTail())
            }
            do {
                _ = try await http.get("/healthz", timeout: 2)
                return
            } catch {
                last = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchError("the master at \(url) did not answer /healthz within \(limit) s (last: \(last))\n"
            + logTail())
    }

    /// A loopback port nobody listens on now (bound to port 0, read back, closed).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { throw BenchError("binding a loopback port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
