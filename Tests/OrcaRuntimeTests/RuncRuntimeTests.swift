import Foundation
import OrcaRuntime
import OrcaTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Real containers through Debian's runc, as root.
@Suite("runc containers", .serialized,
       .enabled(if: BusyboxRootfs.available, "runtime tests need \(BusyboxRootfs.missing.joined(separator: ", "))"))
struct RuncRuntimeTests {
    /// A runtime with its own state, bundles and a busybox rootfs in a temp directory.
    struct Fixture {
        let directory: URL
        let runtime: RuncRuntime
        let rootfs: String

        static func make() async throws -> Fixture {
            try Reaper.shared.becomeSubreaper()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orca-runc-\(UUID().uuidString)")
            let rootfs = directory.appendingPathComponent("rootfs")
            try await BusyboxRootfs.make(at: rootfs)
            let runtime = try RuncRuntime(stateRoot: directory.appendingPathComponent("state").path,
                                          bundleRoot: directory.appendingPathComponent("bundles").path)
            return Fixture(directory: directory, runtime: runtime, rootfs: rootfs.path)
        }

        func config(_ id: String, _ script: String, memory: Int64? = nil) -> ContainerConfig {
            ContainerConfig(id: id, rootfs: rootfs, arguments: ["/bin/sh", "-c", script],
                            environment: ["GREETING=hello"], hostname: id,
                            cgroupPath: "/orca-test/\(id)", memoryLimit: memory,
                            logPath: directory.appendingPathComponent("\(id).log").path)
        }

        func log(_ id: String) -> String {
            (try? String(contentsOf: directory.appendingPathComponent("\(id).log"), encoding: .utf8)) ?? ""
        }

        func cleanUp(_ ids: [String]) async {
            for id in ids { try? await runtime.delete(id) }
            runtime.removeCgroups("/orca-test")
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test("a container runs its command with the env, writes its log, and its exit code is seen")
    func runsAndExits() async throws {
        let fixture = try await Fixture.make()
        let id = "orca-test-\(UInt32.random(in: 0...UInt32.max))"
        defer { Task { await fixture.cleanUp([id]) } }
        let pid = try await fixture.runtime.run(fixture.config(id, "echo $GREETING from $(hostname); exit 3"))
        #expect(pid > 0)
        let exit = await fixture.runtime.wait(id, pid: pid)
        #expect(exit == .exited(.exited(3)))
        #expect(fixture.log(id) == "hello from \(id)\n")
        #expect(try await fixture.runtime.state(id)?.status == "stopped")
        try await fixture.runtime.delete(id)
        #expect(try await fixture.runtime.state(id) == nil)
        #expect(!FileManager.default.fileExists(atPath: fixture.runtime.bundlePath(id)))
    }

    @Test("kill ends a running container with the signal; list shows it while it runs")
    func killsRunning() async throws {
        let fixture = try await Fixture.make()
        let id = "orca-test-\(UInt32.random(in: 0...UInt32.max))"
        defer { Task { await fixture.cleanUp([id]) } }
        // sh as pid 1 ignores SIGTERM without a trap; the trap makes it exit like a server would.
        let pid = try await fixture.runtime.run(fixture.config(id, "trap 'exit 0' TERM; while true; do sleep 0.1; done"))
        #expect(try await fixture.runtime.list().contains { $0.id == id && $0.status == "running" })
        try await fixture.runtime.kill(id, signal: SIGTERM)
        #expect(await fixture.runtime.wait(id, pid: pid) == .exited(.exited(0)))
        try await fixture.runtime.delete(id)
    }

    @Test("a container over its memory limit is OOM-killed and the cgroup says so")
    func oomKilled() async throws {
        let fixture = try await Fixture.make()
        let id = "orca-test-\(UInt32.random(in: 0...UInt32.max))"
        defer { Task { await fixture.cleanUp([id]) } }
        // tail keeps the whole "line" of /dev/zero (no newline ever comes) in memory.
        let config = fixture.config(id, "tail /dev/zero", memory: 16 << 20)
        let pid = try await fixture.runtime.run(config)
        let exit = await fixture.runtime.wait(id, pid: pid)
        #expect(exit == .exited(.signaled(SIGKILL)))
        #expect(fixture.runtime.oomKilled(cgroupPath: config.cgroupPath))
        try await fixture.runtime.delete(id)
        #expect(!FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory\(config.cgroupPath)"))
    }

    @Test("a command that does not exist in the image fails the run with runc's reason")
    func missingExecutable() async throws {
        let fixture = try await Fixture.make()
        let id = "orca-test-\(UInt32.random(in: 0...UInt32.max))"
        defer { Task { await fixture.cleanUp([id]) } }
        var config = fixture.config(id, "")
        config.arguments = ["/no/such/binary"]
        await #expect(throws: RuntimeError.self) { try await fixture.runtime.run(config) }
        #expect(try await fixture.runtime.state(id) == nil, "a failed run leaves no container behind")
    }
}
