import AsyncHTTPClient
import Foundation
import OrcaAPI
import OrcaClient
import OrcaRuntime
import OrcaTesting
import Testing

/// The built `orca minion` in its own network namespace against the built `orca master`,
/// running real busybox containers with runc: what issue 4 asks the kubelet to do.
@Suite("orca minion runs pods for real", .serialized,
       .enabled(if: MinionFixture.available, "minion tests need \(MinionFixture.missing.joined(separator: ", "))"))
struct MinionEndToEndTests {
    static func running(_ pod: Pod) -> Bool {
        pod.status?.phase == .running && (pod.status?.containerStatuses ?? []).allSatisfy { $0.state?.running != nil }
    }

    @Test("a two-container pod: both run in one sandbox, talk over localhost, status has IPs; delete leaves nothing")
    func twoContainersShareLocalhost() async throws {
        try await MinionFixture.with { minion in
            let pod = MinionFixture.pod("pair", containers: [
                ("web", "mkdir -p /www && echo hello-over-localhost > /www/index.html && exec httpd -f -p 8080 -h /www"),
                ("client", """
                    until printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 127.0.0.1 8080 | grep hello; do sleep 0.2; done
                    exec sleep 3600
                    """),
            ])
            try await minion.run(pod)
            let up = try await minion.waitFor("pair", "Running", Self.running)
            #expect(up.status?.hostIP == minion.minionIP)
            let node = try await minion.client.get(Node.self, name: minion.nodeName)
            let cidr = node.spec?.podCIDR ?? ""
            let prefix = cidr.split(separator: ".").prefix(3).joined(separator: ".") + "."
            #expect(up.status?.podIP?.hasPrefix(prefix) == true, "pod IP \(up.status?.podIP ?? "-") in \(cidr)")
            #expect(up.status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } == true)
            try await minion.eventually("the client container saw the web container's page") {
                let log = try await minion.client.logs(pod: "pair", container: "client")
                return log.contains("hello-over-localhost")
            }

            try await minion.client.delete(Pod.self, name: "pair")
            try await minion.eventually("nothing of the pod is left") { await minion.leftovers().isEmpty }
        }
    }

    @Test("an emptyDir outlives its container: killed, restarted with restartCount 1, it sees the file")
    func emptyDirSurvivesRestart() async throws {
        try await MinionFixture.with { minion in
            let pod = MinionFixture.pod("scratch", containers: [("writer", """
                if [ -f /data/mark ]; then echo "found $(cat /data/mark)"; else echo first-run > /data/mark; echo wrote; fi
                exec sleep 3600
                """)], volumes: [Volume(name: "data", emptyDir: EmptyDirVolumeSource())],
                mounts: [VolumeMount(name: "data", mountPath: "/data")])
            try await minion.run(pod)
            let first = try await minion.waitFor("scratch", "Running", Self.running)
            let id = try #require(first.status?.containerStatuses?.first?.containerID?.replacingOccurrences(of: "runc://", with: ""))
            try await Command("/usr/sbin/runc", ["--root", minion.runcRoot, "kill", id, "KILL"]).run()
            let again = try await minion.waitFor("scratch", "restarted and Running") { pod in
                Self.running(pod) && pod.status?.containerStatuses?.first?.restartCount == 1
            }
            let last = again.status?.containerStatuses?.first?.lastState?.terminated
            #expect(last?.exitCode == 137)
            #expect(last?.reason == "Error")
            try await minion.eventually("the new instance found the file") {
                try await minion.client.logs(pod: "scratch").contains("found first-run")
            }
        }
    }

    @Test("a hostDir volume shows the host's files and the container's writes reach the host")
    func hostDir() async throws {
        let host = FileManager.default.temporaryDirectory.appendingPathComponent("orca-hostdir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: host, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: host) }
        try "from-the-host\n".write(to: host.appendingPathComponent("in.txt"), atomically: true, encoding: .utf8)
        try await MinionFixture.with { minion in
            let pod = MinionFixture.pod("hostdir", containers: [("c", "cat /host/in.txt; echo from-the-pod > /host/out.txt; exec sleep 3600")],
                                        volumes: [Volume(name: "h", hostPath: HostPathVolumeSource(path: host.path))],
                                        mounts: [VolumeMount(name: "h", mountPath: "/host")])
            try await minion.run(pod)
            try await minion.waitFor("hostdir", "Running", Self.running)
            try await minion.eventually("the container wrote to the host") {
                (try? String(contentsOf: host.appendingPathComponent("out.txt"), encoding: .utf8)) == "from-the-pod\n"
            }
            #expect(try await minion.client.logs(pod: "hostdir") == "from-the-host\n")
        }
    }

    @Test("a container over its memory limit is killed and reported OOMKilled")
    func oomKilled() async throws {
        try await MinionFixture.with { minion in
            let pod = MinionFixture.pod("hog", containers: [("hog", "tail /dev/zero")], restartPolicy: .never,
                                        memoryLimit: "16Mi")
            try await minion.run(pod)
            let failed = try await minion.waitFor("hog", "Failed") { $0.status?.phase == .failed }
            let terminated = failed.status?.containerStatuses?.first?.state?.terminated
            #expect(terminated?.reason == "OOMKilled")
            #expect(terminated?.exitCode == 137)
        }
    }

    @Test("a hostPort answers on the minion's IP")
    func hostPort() async throws {
        try await MinionFixture.with { minion in
            let pod = MinionFixture.pod("web", containers: [
                ("web", "mkdir -p /www && echo hello-host-port > /www/index.html && exec httpd -f -p 80 -h /www"),
            ], ports: [ContainerPort(containerPort: 80, hostPort: 8081)])
            try await minion.run(pod)
            try await minion.waitFor("web", "Running", Self.running)
            var response = ""
            try await minion.eventually("http://\(minion.minionIP):8081/ answers") {
                let output = try await Command("/bin/busybox", ["nc", "-w", "2", minion.minionIP, "8081"])
                    .output(stdin: Data("GET / HTTP/1.0\r\n\r\n".utf8), timeout: .seconds(10))
                response = output.stdoutText
                return response.contains("hello-host-port")
            }
            #expect(response.hasPrefix("HTTP/1.1 200 OK"))
        }
    }

    @Test("kubecfg logs prints a container's output; the API's tailLines and follow work through the master")
    func logs() async throws {
        let trigger = FileManager.default.temporaryDirectory.appendingPathComponent("orca-trigger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: trigger, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: trigger) }
        try await MinionFixture.with { minion in
            // "late" is written only once the test says so, after it has started following.
            try await minion.run(MinionFixture.pod("talker", containers: [
                ("c", "for i in 1 2 3 4 5; do echo line-$i; done; until [ -f /trigger/go ]; do sleep 0.1; done; echo late; exec sleep 3600"),
            ], volumes: [Volume(name: "t", hostPath: HostPathVolumeSource(path: trigger.path))],
               mounts: [VolumeMount(name: "t", mountPath: "/trigger")]))
            try await minion.waitFor("talker", "Running", Self.running)
            try await minion.eventually("the first lines are written") {
                try await minion.client.logs(pod: "talker").contains("line-5")
            }
            let printed = try await minion.master.kubecfg("logs", "talker")
            #expect(printed.status == 0, "\(printed)")
            #expect(printed.stdout == "line-1\nline-2\nline-3\nline-4\nline-5\n")
            let named = try await minion.master.kubecfg("logs", "talker", "c")
            #expect(named.stdout == printed.stdout)
            let wrong = try await minion.master.kubecfg("logs", "talker", "nope")
            #expect(wrong.status != 0)
            #expect(wrong.stderr.contains("nope"), "\(wrong)")
            let tail = try await minion.client.send(method: "GET", path: "/api/v1/namespaces/default/pods/talker/log?tailLines=2")
            #expect(String(decoding: tail.body, as: UTF8.self) == "line-4\nline-5\n")

            // follow: the last line now, then each new one as it is written; the reader stops here.
            let request = HTTPClientRequest(url: minion.master.url + "/api/v1/namespaces/default/pods/talker/log?follow=true&tailLines=1")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            #expect(response.status == .ok)
            var followed = ""
            var triggered = false
            for try await chunk in response.body {
                followed += String(buffer: chunk)
                if !triggered, followed.contains("line-5") {
                    triggered = true
                    _ = FileManager.default.createFile(atPath: trigger.appendingPathComponent("go").path, contents: Data())
                }
                if followed.contains("late") { break }
            }
            #expect(followed == "line-5\nlate\n")
        }
    }

    @Test("an image pulled for real through the minion's docker.io mirror (Debian's docker-registry)")
    func pullThroughMirror() async throws {
        try await MinionFixture.with(registry: true) { minion in
            var pod = MinionFixture.pod("pulled", containers: [("c", "echo pulled; exec sleep 3600")],
                                        image: "docker.io/library/busybox:latest")
            pod.spec?.containers[0].imagePullPolicy = .always
            try await minion.run(pod)
            let running = try await minion.waitFor("pulled", "Running", Self.running)
            let pushed = try await TestImages.digest(of: TestImages.latest)
            let imageID = running.status?.containerStatuses?.first?.imageID ?? ""
            #expect(imageID.hasPrefix("sha256:"), "image ID \(imageID)")
            #expect(minion.minionLog.contains("library/busybox"), "the pull is logged")
            #expect(try await minion.client.logs(pod: "pulled") == "pulled\n")
            // The registry served it: its storage has the manifest the layout tagged latest.
            let manifests = minion.registry!.directory.appendingPathComponent(
                "storage/docker/registry/v2/repositories/library/busybox/_manifests/revisions/sha256/\(pushed.hex)")
            #expect(FileManager.default.fileExists(atPath: manifests.path))
        }
    }

    @Test("restart policies: Always crash-loops with backoff, OnFailure ends on success, Never keeps a failure")
    func restartPolicies() async throws {
        try await MinionFixture.with { minion in
            try await minion.run(MinionFixture.pod("crasher", containers: [("c", "echo crash; exit 3")]))
            try await minion.run(MinionFixture.pod("once", containers: [("c", "echo done")], restartPolicy: .onFailure))
            try await minion.run(MinionFixture.pod("failer", containers: [("c", "exit 4")], restartPolicy: .never))
            let looping = try await minion.waitFor("crasher", "CrashLoopBackOff after two restarts") { pod in
                let status = pod.status?.containerStatuses?.first
                return status?.state?.waiting?.reason == "CrashLoopBackOff" && (status?.restartCount ?? 0) >= 2
            }
            let status = try #require(looping.status?.containerStatuses?.first)
            #expect(status.lastState?.terminated?.exitCode == 3)
            #expect(status.lastState?.terminated?.reason == "Error")
            #expect(status.state?.waiting?.message?.contains("back-off") == true)
            #expect(looping.status?.phase == .running, "a crash-looping pod with restartPolicy Always is Running")

            let succeeded = try await minion.waitFor("once", "Succeeded") { $0.status?.phase == .succeeded }
            #expect(succeeded.status?.containerStatuses?.first?.state?.terminated?.reason == "Completed")
            #expect(succeeded.status?.containerStatuses?.first?.restartCount == 0)
            let failed = try await minion.waitFor("failer", "Failed") { $0.status?.phase == .failed }
            #expect(failed.status?.containerStatuses?.first?.state?.terminated?.exitCode == 4)
            // Finished pods stay finished.
            try await Task.sleep(for: .seconds(2))
            #expect(try await minion.client.get(Pod.self, name: "once").status?.containerStatuses?.first?.restartCount == 0)
            #expect(try await minion.client.get(Pod.self, name: "failer").status?.phase == .failed)
        }
    }

    @Test("containers get exactly the seed's variables for the services present when they start")
    func serviceEnvironment() async throws {
        try await MinionFixture.with { minion in
            func service(_ name: String, _ port: Int, _ target: Int) -> Service {
                Service(metadata: ObjectMeta(name: name, namespace: "default"),
                        spec: ServiceSpec(ports: [ServicePort(port: port, targetPort: .int(target))],
                                          selector: ["name": "jenkins"]))
            }
            let jenkins = try await minion.client.create(service("jenkins", 8888, 8080))
            let slave = try await minion.client.create(service("jenkins-slave", 50000, 50000))
            let master = try await minion.client.get(Service.self, name: "kubernetes")
            let readOnly = try await minion.client.get(Service.self, name: "kubernetes-ro")
            try await Task.sleep(for: .seconds(1))  // the minion's service cache follows the watch
            try await minion.run(MinionFixture.pod("env", containers: [
                ("c", "env | grep -E '_(SERVICE_HOST|SERVICE_PORT|PORT)(=|_)' | sort; exec sleep 3600"),
            ]))
            try await minion.waitFor("env", "Running", Self.running)
            _ = try await minion.client.create(service("later", 9999, 9999))
            var printed = ""
            try await minion.eventually("the container printed its environment") {
                printed = try await minion.client.logs(pod: "env")
                return printed.contains("KUBERNETES_SERVICE_HOST")
            }
            func seed(_ prefix: String, _ service: Service, target: Int) -> [String] {
                let ip = service.spec?.clusterIP ?? "?"
                let port = service.spec?.ports?.first?.port ?? 0
                return [
                    "\(prefix)_PORT=tcp://\(ip):\(port)",
                    "\(prefix)_PORT_\(target)_TCP=tcp://\(ip):\(port)",
                    "\(prefix)_PORT_\(target)_TCP_ADDR=\(ip)",
                    "\(prefix)_PORT_\(target)_TCP_PORT=\(port)",
                    "\(prefix)_PORT_\(target)_TCP_PROTO=tcp",
                    "\(prefix)_SERVICE_HOST=\(ip)",
                    "\(prefix)_SERVICE_PORT=\(port)",
                ]
            }
            let expected = (seed("JENKINS", jenkins, target: 8080) + seed("JENKINS_SLAVE", slave, target: 50000)
                + seed("KUBERNETES", master, target: 443) + seed("KUBERNETES_RO", readOnly, target: 80)).sorted()
            #expect(printed.split(separator: "\n").map(String.init) == expected)
            // The master's services lead to the master: their endpoints are its advertised address.
            let endpoints = try await minion.client.get(Endpoints.self, name: "kubernetes")
            #expect(endpoints.subsets?.first?.addresses?.map(\.ip) == [minion.hostIP])
            #expect(endpoints.subsets?.first?.ports?.map(\.port) == [minion.master.port])
        }
    }

    @Test("a missing image: ErrImagePull, then ImagePullBackOff, and the pod is kept")
    func missingImage() async throws {
        try await MinionFixture.with { minion in
            let pod = MinionFixture.pod("ghost", containers: [("c", "true")], image: "127.0.0.1:1/nothing:here")
            try await minion.run(pod)
            let pulling = try await minion.waitFor("ghost", "ErrImagePull") {
                $0.status?.containerStatuses?.first?.state?.waiting?.reason == "ErrImagePull"
            }
            #expect(pulling.status?.phase == .pending)
            let backingOff = try await minion.waitFor("ghost", "ImagePullBackOff") {
                $0.status?.containerStatuses?.first?.state?.waiting?.reason == "ImagePullBackOff"
            }
            #expect(backingOff.status?.phase == .pending)
            #expect(backingOff.status?.containerStatuses?.first?.state?.waiting?.message?.isEmpty == false)
        }
    }

    @Test("restarting orca minion keeps its containers running and takes them over")
    func restartKeepsContainers() async throws {
        try await MinionFixture.with { minion in
            try await minion.run(MinionFixture.pod("steady", containers: [("c", "echo started; exec sleep 3600")]))
            let before = try await minion.waitFor("steady", "Running", Self.running)
            let status = try #require(before.status?.containerStatuses?.first)
            let id = try #require(status.containerID?.replacingOccurrences(of: "runc://", with: ""))
            let statePath = ["--root", minion.runcRoot, "state", id]
            let pid = try JSONDecoder().decode(RuncRuntime.State.self,
                                               from: await Command("/usr/sbin/runc", statePath).run()).pid

            #expect(try await minion.stopMinion() == .exited(0))
            let during = try JSONDecoder().decode(RuncRuntime.State.self, from: await Command("/usr/sbin/runc", statePath).run())
            #expect(during.status == "running")
            #expect(during.pid == pid)

            try await minion.startMinion()
            try await Task.sleep(for: .seconds(2))
            try await minion.waitUntilReady()
            let after = try await minion.waitFor("steady", "Running after the restart", Self.running)
            let again = try #require(after.status?.containerStatuses?.first)
            #expect(again.restartCount == 0)
            #expect(again.containerID == status.containerID)
            #expect(again.state?.running?.startedAt == status.state?.running?.startedAt)
            let still = try JSONDecoder().decode(RuncRuntime.State.self, from: await Command("/usr/sbin/runc", statePath).run())
            #expect(still.pid == pid, "the same process runs on")
            #expect(try await minion.client.logs(pod: "steady") == "started\n")
        }
    }
}
