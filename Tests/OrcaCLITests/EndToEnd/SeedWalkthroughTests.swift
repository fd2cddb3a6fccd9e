import Foundation
import OrcaAPI
import Testing
import OrcaTesting

/// The seed's steps 2-5 and 8 with the built `orca master` and `kubecfg`, as a user types them.
/// Without minions pods stay Pending and unassigned; everything else looks as in the article.
@Suite("kubecfg end to end", .serialized)
struct SeedWalkthroughTests {
    static func fixture(_ name: String) -> String { SeedObjects.fixture(name).path }

    static let podTable = """
        Name         Image(s)                           Host           Labels         Status
        ----------   ----------                         ----------     ----------     ----------
        jenkins      csanchez/jenkins-swarm:1.565.3.3   <unassigned>   name=jenkins   Pending

        """

    static func controllerTable(replicas: Int) -> String {
        """
        Name            Image(s)                            Selector             Replicas
        ----------      ----------                          ----------           ----------
        jenkins-slave   csanchez/jenkins-swarm-slave:1.21   name=jenkins-slave   \(replicas)

        """
    }

    static let deleted = "Status\n----------\nSuccess\n"

    @Test("steps 2-5 and 8: minions, pod, services, replication controller, resize, stop, rm, delete")
    func walkthrough() async throws {
        try await MasterProcess.with { master in
            // 2. No minion has registered.
            try expectOutput(await master.kubecfg("list", "minions"), "Minion identifier\n----------\n")

            // 3. The Jenkins pod: Pending until a minion runs it.
            try expectOutput(await master.kubecfg("-c", Self.fixture("pod.json"), "create", "pods"), Self.podTable)
            try expectOutput(await master.kubecfg("list", "pods"), Self.podTable)

            // 4. Services get an IP from 10.0.0.0/16 that they keep.
            let http = try await master.kubecfg("-c", Self.fixture("service-http.json"), "create", "services")
            let httpRow = try serviceRows(http)["jenkins"]
            #expect(httpRow?.selector == "name=jenkins" && httpRow?.port == "8888", "\(http)")
            let slave = try await master.kubecfg("-c", Self.fixture("service-slave.json"), "create", "services")
            #expect(try serviceRows(slave)["jenkins-slave"]?.port == "50000", "\(slave)")

            let services = try await master.kubecfg("list", "services")
            let rows = try serviceRows(services)
            #expect(Set(rows.keys) == ["kubernetes", "kubernetes-ro", "jenkins", "jenkins-slave"], "\(services)")
            #expect(rows["kubernetes"]?.port == "443" && rows["kubernetes-ro"]?.port == "80")
            #expect(rows["kubernetes"]?.selector == "component=apiserver,provider=kubernetes")
            #expect(rows["jenkins"]?.ip == httpRow?.ip)
            let ips = rows.values.map(\.ip)
            #expect(Set(ips).count == 4, "every service has its own IP: \(ips)")
            for ip in ips { #expect(isServiceIP(ip), "\(ip) is not in 10.0.0.0/16") }
            #expect(services.stdout.hasPrefix("""
                Name            Labels       Selector                                  IP
                """))

            // 5. The replication controller, then two replicas.
            try expectOutput(
                await master.kubecfg("-c", Self.fixture("replication.json"), "create", "replicationControllers"),
                Self.controllerTable(replicas: 1))
            try expectOutput(await master.kubecfg("resize", "jenkins-slave", "2"), Self.controllerTable(replicas: 2))
            try expectOutput(await master.kubecfg("get", "replicationControllers/jenkins-slave"),
                             Self.controllerTable(replicas: 2))

            // 8. Clean-up: rm refuses until stop, then everything goes.
            try expectFailure(await master.kubecfg("rm", "jenkins-slave"),
                              "Error: controller has non-zero replicas (2), please stop it first\n")
            try expectOutput(await master.kubecfg("stop", "jenkins-slave"), Self.controllerTable(replicas: 0))
            try expectOutput(await master.kubecfg("rm", "jenkins-slave"), "")
            try expectOutput(await master.kubecfg("delete", "pods/jenkins"), Self.deleted)
            try expectOutput(await master.kubecfg("delete", "services/jenkins"), Self.deleted)
            try expectOutput(await master.kubecfg("delete", "services/jenkins-slave"), Self.deleted)

            try expectOutput(await master.kubecfg("list", "replicationControllers"),
                             "Name         Image(s)     Selector     Replicas\n"
                                 + "----------   ----------   ----------   ----------\n")
            try expectOutput(await master.kubecfg("list", "pods"),
                             "Name         Image(s)     Host         Labels       Status\n"
                                 + "----------   ----------   ----------   ----------   ----------\n")
            #expect(Set(try serviceRows(await master.kubecfg("list", "services")).keys)
                == ["kubernetes", "kubernetes-ro"])
        }
    }

    @Test("errors are one line on stderr with a non-zero exit")
    func errors() async throws {
        try await MasterProcess.with { master in
            try expectFailure(await master.kubecfg("get", "pods/missing"), "Error: pods \"missing\" not found\n")
            try expectFailure(await master.kubecfg("delete", "services/missing"),
                              "Error: services \"missing\" not found\n")
            try expectOutput(await master.kubecfg("-c", Self.fixture("pod.json"), "create", "pods"), Self.podTable)
            try expectFailure(await master.kubecfg("-c", Self.fixture("pod.json"), "create", "pods"),
                              "Error: pods \"jenkins\" already exists\n")

            let invalid = Data(#"""
                {"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "bad"},
                 "spec": {"containers": [{"name": "x"}]}}
                """#.utf8)
            let refused = try await master.kubecfg("-c", "-", "create", "pods", stdin: invalid)
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderr.hasPrefix(
                "Error: Pod \"bad\" is invalid: [spec.containers[0].image: Required value"),
                    "\(refused)")
            expectOneLine(refused)

            // The master serves no logs yet: its 404 is reported, not dumped.
            let logs = try await master.kubecfg("logs", "jenkins")
            #expect(logs.status == 1 && logs.stderr.hasPrefix("Error: "), "\(logs)")
            expectOneLine(logs)

            let usage = try await master.kubecfg("-bogus", "list", "pods")
            #expect(usage.status == 2, "\(usage)")
            #expect(usage.stderr == "Error: flag provided but not defined: -bogus\nRun 'kubecfg -help' for usage.\n")

            let port = try LocalMaster.freePort()
            let unreachable = try await master.kubecfg("-h", "http://127.0.0.1:\(port)", "list", "pods")
            try expectFailure(
                unreachable, "Error: cannot reach the master at http://127.0.0.1:\(port): connection refused\n")
        }
    }

    @Test("YAML on stdin, update with the current resourceVersion, -json, -l, run")
    func moreVerbs() async throws {
        try await MasterProcess.with(controlLoops: false) { master in
            let yaml = try Data(contentsOf: SeedObjects.fixture("pod.yaml"))
            try expectOutput(await master.kubecfg("-c", "-", "create", "pods", stdin: yaml), Self.podTable)
            try expectOutput(await master.kubecfg("-c", Self.fixture("pod.json"), "update", "pods/jenkins"),
                             Self.podTable)

            let json = try await master.kubecfg("-json", "get", "pods/jenkins")
            #expect(json.status == 0, "\(json)")
            let pod = try ManifestDecoder.decode(Pod.self, json: Data(json.stdout.utf8))
            #expect(pod.apiVersion == "v1" && pod.kind == "Pod" && pod.status?.phase == .pending)
            #expect(pod.metadata.resourceVersion != nil)

            try expectOutput(await master.kubecfg("-l", "name=jenkins", "list", "pods"), Self.podTable)
            try expectOutput(await master.kubecfg("list", "pods", "-l", "name=other"),
                             "Name         Image(s)     Host         Labels       Status\n"
                                 + "----------   ----------   ----------   ----------   ----------\n")

            let run = try await master.kubecfg("-p", "8080:80", "-s", "8000", "run", "nginx", "2", "web")
            #expect(run.status == 0, "\(run)")
            #expect(run.stdout.hasPrefix("""
                Name         Image(s)     Selector     Replicas
                ----------   ----------   ----------   ----------
                web          nginx        name=web     2

                """), "\(run)")
            #expect(try serviceRows(run)["web"]?.port == "8000", "\(run)")
            let noPods = try await master.kubecfg("-u", "1s", "-image", "nginx:2", "rollingupdate", "web")
            try expectOutput(noPods, "Controller web has no pods to update\n")
        }
    }
}

// MARK: Checks that show the whole command result when they fail

func expectOutput(_ result: CommandResult, _ stdout: String, sourceLocation: SourceLocation = #_sourceLocation)
    throws {
    #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
    #expect(result.stdout == stdout, "\(result)", sourceLocation: sourceLocation)
    #expect(result.stderr == "", "\(result)", sourceLocation: sourceLocation)
}

func expectFailure(_ result: CommandResult, _ stderr: String, sourceLocation: SourceLocation = #_sourceLocation)
    throws {
    #expect(result.status == 1, "\(result)", sourceLocation: sourceLocation)
    #expect(result.stdout == "", "\(result)", sourceLocation: sourceLocation)
    #expect(result.stderr == stderr, "\(result)", sourceLocation: sourceLocation)
}

/// A user-facing error: one line, no JSON, no stack trace.
func expectOneLine(_ result: CommandResult, sourceLocation: SourceLocation = #_sourceLocation) {
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(result)", sourceLocation: sourceLocation)
    #expect(!result.stderr.contains("{\""), "\(result)", sourceLocation: sourceLocation)
}

struct ServiceRow {
    var labels: String
    var selector: String
    var ip: String
    var port: String
}

/// The rows of a services table by name, read by column position from the header.
func serviceRows(_ result: CommandResult) throws -> [String: ServiceRow] {
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let isHeader = { (line: String) in line.hasPrefix("Name") && line.contains("Selector") && line.contains("IP") }
    guard let headerIndex = lines.firstIndex(where: isHeader) else {
        throw DaemonError("no services table in:\n\(result)")
    }
    let header = lines[headerIndex]
    func column(_ title: String) -> Int {
        header.distance(from: header.startIndex, to: header.range(of: title)!.lowerBound)
    }
    let starts = [0, column("Labels"), column("Selector"), column("IP"), column("Port")]
    var rows: [String: ServiceRow] = [:]
    for line in lines.dropFirst(headerIndex + 2) where !line.isEmpty && !line.hasPrefix("Name") {
        func cell(_ i: Int) -> String {
            let chars = Array(line)
            let start = min(starts[i], chars.count)
            let end = i + 1 < starts.count ? min(starts[i + 1], chars.count) : chars.count
            return String(chars[start..<end]).trimmingCharacters(in: .whitespaces)
        }
        rows[cell(0)] = ServiceRow(labels: cell(1), selector: cell(2), ip: cell(3), port: cell(4))
    }
    return rows
}

/// Whether `ip` is a host address of 10.0.0.0/16, the seed's service range.
func isServiceIP(_ ip: String) -> Bool {
    let octets = ip.split(separator: ".").compactMap { UInt8($0) }
    return octets.count == 4 && octets[0] == 10 && octets[1] == 0 && ip.split(separator: ".").count == 4
}
