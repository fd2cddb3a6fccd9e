import Foundation
@testable import OrcaKubelet
import OrcaAPI
import OrcaRuntime
import Testing

/// The kubelet's pure decisions: backoff, phase, command and environment, users, routes, log tails.
@Suite("kubelet logic")
struct KubeletLogicTests {
    @Test("restart backoff: 1 s doubling to the cap, reset after a long run")
    func backoff() {
        var backoff = RestartBackoff()
        let now = ContinuousClock.now
        var delays: [Duration] = []
        for _ in 0..<11 {
            backoff.exited(after: .seconds(1), now: now, initial: .seconds(1), cap: .seconds(300), reset: .seconds(600))
            delays.append(backoff.delay!)
        }
        #expect(delays == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300].map { .seconds($0) })
        #expect(backoff.isWaiting(now: now + .seconds(299)))
        #expect(!backoff.isWaiting(now: now + .seconds(300)))
        backoff.exited(after: .seconds(600), now: now, initial: .seconds(1), cap: .seconds(300), reset: .seconds(600))
        #expect(backoff.delay == .seconds(1), "ten minutes of running resets it")
    }

    static func container(_ state: ContainerRecord.State, attempt: Int = 1, last: Int32? = nil) -> ContainerRecord {
        var record = ContainerRecord(name: "c")
        record.state = state
        record.attempt = attempt
        record.lastTermination = last.map {
            .init(exitCode: $0, reason: "Error", startedAt: nil, finishedAt: .now(), containerID: "x")
        }
        return record
    }

    static func ended(_ code: Int32) -> ContainerRecord.State {
        .terminated(.init(exitCode: code, reason: code == 0 ? "Completed" : "Error", startedAt: nil,
                          finishedAt: .now(), containerID: "x"))
    }

    @Test("phase follows Kubernetes: Pending, Running, Succeeded, Failed by restart policy")
    func phase() {
        let running = Self.container(.running(startedAt: .now()))
        let notStarted = Self.container(.waiting(reason: "ContainerCreating", message: nil), attempt: 0)
        let backingOff = Self.container(.waiting(reason: "CrashLoopBackOff", message: nil), attempt: 3, last: 1)
        #expect(PodStatusBuilder.phase([], policy: .always) == .pending)
        #expect(PodStatusBuilder.phase([running, notStarted], policy: .always) == .pending)
        #expect(PodStatusBuilder.phase([running], policy: .never) == .running)
        #expect(PodStatusBuilder.phase([backingOff], policy: .always) == .running)
        #expect(PodStatusBuilder.phase([Self.container(Self.ended(0))], policy: .always) == .running)
        #expect(PodStatusBuilder.phase([Self.container(Self.ended(0))], policy: .onFailure) == .succeeded)
        #expect(PodStatusBuilder.phase([Self.container(Self.ended(2))], policy: .onFailure) == .running)
        #expect(PodStatusBuilder.phase([Self.container(Self.ended(0))], policy: .never) == .succeeded)
        #expect(PodStatusBuilder.phase([Self.container(Self.ended(0)), Self.container(Self.ended(1))],
                                       policy: .never) == .failed)
        #expect(PodStatusBuilder.phase([Self.container(Self.ended(0)), running], policy: .never) == .running)
    }

    @Test("status: container states, restart counts, last state, Ready only when all run")
    func status() {
        var meta = ObjectMeta(name: "p", namespace: "default")
        meta.uid = "u"
        var pod = Pod(metadata: meta)
        pod.spec = PodSpec(containers: [Container(name: "a", image: "busybox"), Container(name: "b", image: "busybox")])
        var record = PodRecord(pod: pod)
        record.containers["a"] = Self.container(.running(startedAt: .now()), attempt: 3, last: 137)
        record.containers["b"] = Self.container(.waiting(reason: "CrashLoopBackOff", message: "back-off 2s"), attempt: 2, last: 1)
        let status = PodStatusBuilder.status(of: record, hostIP: "10.245.2.2", now: .now())
        #expect(status.phase == .running)
        #expect(status.hostIP == "10.245.2.2")
        #expect(status.containerStatuses?.map(\.restartCount) == [2, 1])
        #expect(status.containerStatuses?[0].lastState?.terminated?.exitCode == 137)
        #expect(status.containerStatuses?[1].state?.waiting?.reason == "CrashLoopBackOff")
        #expect(status.conditions?.first { $0.type == "Ready" }?.status == "False")
        record.containers["b"] = Self.container(.running(startedAt: .now()))
        let ready = PodStatusBuilder.status(of: record, hostIP: "10.245.2.2", now: .now())
        #expect(ready.conditions?.first { $0.type == "Ready" }?.status == "True")
    }

    @Test("command replaces ENTRYPOINT and drops CMD; args replace CMD")
    func arguments() {
        typealias B = ContainerConfigBuilder
        #expect(B.arguments(command: nil, args: nil, entrypoint: ["/init"], cmd: ["serve"]) == ["/init", "serve"])
        #expect(B.arguments(command: ["sh"], args: nil, entrypoint: ["/init"], cmd: ["serve"]) == ["sh"])
        #expect(B.arguments(command: ["sh"], args: ["-c", "x"], entrypoint: ["/init"], cmd: ["serve"]) == ["sh", "-c", "x"])
        #expect(B.arguments(command: nil, args: ["debug"], entrypoint: ["/init"], cmd: ["serve"]) == ["/init", "debug"])
        #expect(B.arguments(command: nil, args: nil, entrypoint: nil, cmd: nil).isEmpty)
    }

    @Test("environment: image, then services, then the container's own; later names win in place")
    func environment() {
        let env = ContainerConfigBuilder.environment(
            image: ["PATH=/bin", "MODE=image", "EMPTY="],
            services: [EnvVar(name: "REDIS_SERVICE_HOST", value: "10.0.0.5"), EnvVar(name: "MODE", value: "service")],
            container: [EnvVar(name: "MODE", value: "pod"), EnvVar(name: "NEW", value: nil)])
        #expect(env == ["PATH=/bin", "MODE=pod", "EMPTY=", "REDIS_SERVICE_HOST=10.0.0.5", "NEW="])
    }

    @Test("users by number or by name from the image's files; unknown names are errors")
    func users() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("orca-users-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("etc"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try "root:x:0:0::/root:/bin/sh\nweb:x:33:34::/var/www:/bin/false\n"
            .write(to: root.appendingPathComponent("etc/passwd"), atomically: true, encoding: .utf8)
        try "root:x:0:\nstaff:x:50:\n".write(to: root.appendingPathComponent("etc/group"), atomically: true, encoding: .utf8)
        typealias B = ContainerConfigBuilder
        #expect(try B.user(nil, rootfs: root.path) == (0, 0))
        #expect(try B.user("1000", rootfs: root.path) == (1000, 0))
        #expect(try B.user("1000:1001", rootfs: root.path) == (1000, 1001))
        #expect(try B.user("web", rootfs: root.path) == (33, 34))
        #expect(try B.user("web:staff", rootfs: root.path) == (33, 50))
        #expect(throws: ContainerConfigBuilder.Failure.self) { try B.user("nobody", rootfs: root.path) }
    }

    @Test("peer routes: every other minion with a pod CIDR and an InternalIP")
    func routes() {
        func node(_ name: String, _ cidr: String?, _ ip: String?) -> Node {
            var node = Node(metadata: ObjectMeta(name: name), spec: NodeSpec(podCIDR: cidr))
            node.status = NodeStatus(addresses: ip.map { [NodeAddress(type: "InternalIP", address: $0)] })
            return node
        }
        let routes = RouteSync.routes([
            node("me", "10.244.1.0/24", "10.245.2.2"), node("two", "10.244.2.0/24", "10.245.2.3"),
            node("no-cidr", nil, "10.245.2.4"), node("no-ip", "10.244.5.0/24", nil),
        ], except: "me")
        #expect(routes == [.init(podCIDR: "10.244.2.0/24", hostIP: "10.245.2.3")])
    }

    @Test("log tails count lines, with or without a final newline, across read chunks")
    func logTail() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("orca-log-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        let lines = (1...20_000).map { "line \($0) " + String(repeating: "x", count: 20) }
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let log = LogFile(path: file.path)
        #expect(String(decoding: try log.read(tailLines: 2), as: UTF8.self) == lines.suffix(2).joined(separator: "\n") + "\n")
        #expect(String(decoding: try log.read(tailLines: 5000), as: UTF8.self).split(separator: "\n").count == 5000)
        #expect(try log.read(tailLines: 0).isEmpty)
        #expect(try log.read(tailLines: nil).count == Int(log.size))
        try "a\nb\nc".write(to: file, atomically: true, encoding: .utf8)
        #expect(String(decoding: try log.read(tailLines: 2), as: UTF8.self) == "b\nc")
        #expect(String(decoding: try log.read(tailLines: 10), as: UTF8.self) == "a\nb\nc")
    }

    @Test("runc ids carry pod, container and attempt")
    func runcIDs() {
        let id = PodManager.runcID(uid: "8d3b1f0e-1111-2222-3333-444455556666", container: "web", attempt: 4)
        let parsed = PodManager.parseRuncID(id)
        #expect(parsed?.uid == "8d3b1f0e-1111-2222-3333-444455556666")
        #expect(parsed?.container == "web")
        #expect(parsed?.attempt == 4)
        #expect(PodManager.parseRuncID("someone-else") == nil)
    }
}
