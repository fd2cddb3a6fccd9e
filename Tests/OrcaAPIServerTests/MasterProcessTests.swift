import Foundation
import OrcaAPI
import OrcaRuntime
import OrcaTesting
import Testing

@Suite(.serialized, .enabled(if: BuiltBinaries.available("orca"), "the orca executable is not built")) struct MasterProcessTests {
    @Test func acknowledgedWritesSurviveKill9AndRevisionsContinue() async throws {
        let dir = try temporaryDirectory("kill9")
        defer { try? FileManager.default.removeItem(at: dir) }

        let first = try await MasterProcess.start(dataDir: dir, controlLoops: false)
        // Concurrent creates; each 201 is an acknowledgement that must survive.
        let acknowledged = try await withThrowingTaskGroup(of: (String, Int64)?.self) { group in
            for i in 0..<40 {
                group.addTask {
                    let (code, data) = try await HTTP.send("POST", first.url + "/api/v1/namespaces/default/pods",
                                                           json: Samples.pod("p\(i)"))
                    guard code == 201 else { return nil }
                    let pod = try JSONDecoder().decode(Pod.self, from: data)
                    return (pod.metadata.name!, Int64(pod.metadata.resourceVersion!)!)
                }
            }
            var out: [String: Int64] = [:]
            for try await case let (name, rv)? in group { out[name] = rv }
            return out
        }
        #expect(acknowledged.count == 40)
        first.signal(SIGKILL)
        #expect(try await first.waitExit() == .signaled(SIGKILL))

        let second = try await MasterProcess.start(dataDir: dir, controlLoops: false)
        let (code, data) = try await HTTP.send("GET", second.url + "/api/v1/namespaces/default/pods")
        #expect(code == 200)
        let list = try JSONDecoder().decode(ObjectList<Pod>.self, from: data)
        let stored = Dictionary(uniqueKeysWithValues: list.items.map { ($0.metadata.name!, Int64($0.metadata.resourceVersion!)!) })
        #expect(stored == acknowledged)

        let (_, newData) = try await HTTP.send("POST", second.url + "/api/v1/namespaces/default/pods", json: Samples.pod("after"))
        let after = try JSONDecoder().decode(Pod.self, from: newData)
        #expect(Int64(after.metadata.resourceVersion!)! > acknowledged.values.max()!)
        second.signal(SIGTERM)
        #expect(try await second.waitExit() == .exited(0))
    }

    @Test func sigtermShutsDownGracefullyAndRestartKeepsEverything() async throws {
        let dir = try temporaryDirectory("restart")
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try await MasterProcess.start(dataDir: dir, controlLoops: false)
        let (code, data) = try await HTTP.send("POST", first.url + "/api/v1/namespaces/default/services",
                                               json: Samples.service("jenkins", port: 8888))
        #expect(code == 201)
        let ip = try JSONDecoder().decode(Service.self, from: data).spec?.clusterIP
        first.signal(SIGTERM)
        #expect(try await first.waitExit() == .exited(0))

        let second = try await MasterProcess.start(dataDir: dir, controlLoops: false)
        let (getCode, got) = try await HTTP.send("GET", second.url + "/api/v1/namespaces/default/services/jenkins")
        #expect(getCode == 200)
        #expect(try JSONDecoder().decode(Service.self, from: got).spec?.clusterIP == ip)
        second.signal(SIGINT)
        #expect(try await second.waitExit() == .exited(0))
    }
}
