import Foundation
import OrcaAPI
import OrcaAPIServer
import OrcaClient
import OrcaTesting
import Testing

/// Hollow minions against a real API server in this process.
@Suite struct HollowMinionTests {
    @Test func minionsRegisterReadyWithDistinctPodCIDRsAndHostIPs() async throws {
        try await LocalMaster.withMaster { master in
            let minions = Hollow.minions(master, count: 3) { $0.labels = ["rack": "r1"] }
            try await Hollow.running(minions) {
                try await hollowEventually("3 minions registered") {
                    try await master.client.list(Node.self).items.count == 3
                }
                let nodes = try await master.client.list(Node.self).items
                    .sorted { $0.metadata.name! < $1.metadata.name! }
                #expect(nodes.map(\.metadata.name) == ["hollow-0", "hollow-1", "hollow-2"])
                for (index, node) in nodes.enumerated() {
                    #expect(Hollow.readyCondition(node)?.status == "True")
                    #expect(Hollow.readyCondition(node)?.lastHeartbeatTime != nil)
                    #expect(node.metadata.labels?["kubernetes.io/hostname"] == node.metadata.name)
                    #expect(node.metadata.labels?["rack"] == "r1")
                    #expect(node.status?.capacity?["cpu"] == Quantity(integer: 4))
                    #expect(node.status?.capacity?["memory"] == Quantity("8Gi"))
                    #expect(node.status?.capacity?["pods"] == Quantity(integer: 110))
                    #expect(node.status?.allocatable == node.status?.capacity)
                    let internalIP = node.status?.addresses?.first { $0.type == "InternalIP" }?.address
                    #expect(internalIP == "10.245.128.\(index + 1)")
                    #expect(node.status?.nodeInfo?.kubeletVersion == HollowMinion.kubeletVersion)
                    let cidr = try #require(node.spec?.podCIDR)
                    #expect(Hollow.contains("10.244.0.0/16", String(cidr.split(separator: "/")[0])))
                    #expect(cidr.hasSuffix("/24"))
                    #expect(minions[index].podCIDR == cidr)
                }
                #expect(Set(nodes.compactMap(\.spec?.podCIDR)).count == 3)
                #expect(minions.registeredCount == 3)
            }
        }
    }

    @Test func aBoundPodIsReportedRunningWithAnIPOfItsMinionsCIDRAndForgottenWhenDeleted() async throws {
        try await LocalMaster.withMaster { master in
            let client = master.client
            let minions = Hollow.minions(master, count: 2)
            try await Hollow.running(minions) {
                try await hollowEventually("both minions registered") { minions.registeredCount == 2 }
                _ = try await client.create(Hollow.pod("web", containers: ["web", "sidecar"]))
                try await client.bind(pod: "web", node: "hollow-1")
                try await hollowEventually("web is Running") {
                    try await client.get(Pod.self, name: "web").status?.phase == .running
                }
                let pod = try await client.get(Pod.self, name: "web")
                let status = try #require(pod.status)
                let node = try await client.get(Node.self, name: "hollow-1")
                let cidr = try #require(node.spec?.podCIDR)
                let podIP = try #require(status.podIP)
                #expect(Hollow.contains(cidr, podIP), "\(podIP) in \(cidr)")
                #expect(status.hostIP == "10.245.128.2")
                #expect(status.startTime != nil)
                for type in ["PodScheduled", "Ready"] {
                    #expect(status.conditions?.contains { $0.type == type && $0.status == "True" } == true, "\(type)")
                }
                #expect(status.containerStatuses?.map(\.name) == ["web", "sidecar"])
                #expect(status.containerStatuses?.allSatisfy { $0.ready && $0.state?.running != nil } == true)
                #expect(minions[1].runningPods == ["default/web": podIP])
                #expect(minions[0].runningPods.isEmpty)

                // A second pod gets another address; a deleted pod's address comes free.
                _ = try await client.create(Hollow.pod("api"))
                try await client.bind(pod: "api", node: "hollow-1")
                try await hollowEventually("api is Running") {
                    try await client.get(Pod.self, name: "api").status?.phase == .running
                }
                let apiIP = try await client.get(Pod.self, name: "api").status?.podIP
                #expect(apiIP != podIP)
                try await client.delete(Pod.self, name: "web")
                try await hollowEventually("hollow-1 forgets web") { minions[1].runningPods["default/web"] == nil }
            }
        }
    }

    @Test func heartbeatsAdvanceAndStopWhenTheMinionsAreCancelled() async throws {
        try await LocalMaster.withMaster { master in
            let client = master.client
            let minions = Hollow.minions(master, count: 2, interval: .milliseconds(300))
            let heartbeat = { @Sendable (name: String) async throws -> Timestamp? in
                Hollow.readyCondition(try await client.get(Node.self, name: name))?.lastHeartbeatTime
            }
            try await Hollow.running(minions) {
                try await hollowEventually("hollow-0 registered") { minions[0].isRegistered }
                let first = try await heartbeat("hollow-0")
                // Timestamps have whole seconds: a later heartbeat shows within about a second.
                try await hollowEventually("hollow-0's heartbeat advances") {
                    try await heartbeat("hollow-0") != first
                }
            }
            // Cancelled: silent, as a dead host, and still registered. (A write already in flight
            // may still land: let it.)
            try await Task.sleep(for: .milliseconds(200))
            let beats = minions[0].heartbeatCount
            let last = try await heartbeat("hollow-0")
            try await Task.sleep(for: .milliseconds(2_200))
            #expect(try await heartbeat("hollow-0") == last)
            #expect(minions[0].heartbeatCount == beats)
            #expect(try await client.list(Node.self).items.count == 2)
        }
    }

    @Test func aSilencedMinionStopsHeartbeatingAndReportingUntilResumed() async throws {
        try await LocalMaster.withMaster { master in
            let client = master.client
            let minions = Hollow.minions(master, count: 2, interval: .milliseconds(300))
            try await Hollow.running(minions) {
                try await hollowEventually("both minions registered") { minions.registeredCount == 2 }
                let silent = minions[0]
                silent.silence()
                #expect(silent.isSilenced)
                try await Task.sleep(for: .milliseconds(200))  // a heartbeat in flight may still finish
                let beats = silent.heartbeatCount
                _ = try await client.create(Hollow.pod("waits"))
                try await client.bind(pod: "waits", node: "hollow-0")
                _ = try await client.create(Hollow.pod("runs"))
                try await client.bind(pod: "runs", node: "hollow-1")
                try await hollowEventually("the pod on the live minion runs") {
                    try await client.get(Pod.self, name: "runs").status?.phase == .running
                }
                try await Task.sleep(for: .milliseconds(700))
                #expect(silent.heartbeatCount == beats)
                #expect(try await client.get(Pod.self, name: "waits").status?.phase == .pending)

                silent.resume()
                try await hollowEventually("the silenced minion heartbeats again") { silent.heartbeatCount > beats }
                try await hollowEventually("its pod is reported Running") {
                    try await client.get(Pod.self, name: "waits").status?.phase == .running
                }
            }
        }
    }

    @Test func aPodFailedWhileItsMinionWasSilentStaysFailed() async throws {
        try await LocalMaster.withMaster { master in
            let client = master.client
            let minions = Hollow.minions(master, count: 1)
            try await Hollow.running(minions) {
                try await hollowEventually("the minion registered") { minions.registeredCount == 1 }
                _ = try await client.create(Hollow.pod("web"))
                try await client.bind(pod: "web", node: "hollow-0")
                try await hollowEventually("web runs") {
                    try await client.get(Pod.self, name: "web").status?.phase == .running
                }
                minions[0].silence()
                // What the lifecycle controller does to the pods of a lost minion.
                var pod = try await client.get(Pod.self, name: "web")
                pod.status?.phase = .failed
                pod.status?.reason = "NodeLost"
                _ = try await client.updateStatus(pod)
                _ = try await client.create(Hollow.pod("later"))
                try await client.bind(pod: "later", node: "hollow-0")
                minions[0].resume()
                try await hollowEventually("the pod bound meanwhile runs") {
                    try await client.get(Pod.self, name: "later").status?.phase == .running
                }
                #expect(try await client.get(Pod.self, name: "web").status?.phase == .failed)
            }
        }
    }

    @Test func aMinionTakesOverItsExistingNodeAndItsPodCIDR() async throws {
        try await LocalMaster.withMaster { master in
            let client = master.client
            _ = try await client.create(Node(metadata: ObjectMeta(name: "hollow-0"),
                                             spec: NodeSpec(podCIDR: "10.244.77.0/24")))
            let minions = Hollow.minions(master, count: 1)
            try await Hollow.running(minions) {
                try await hollowEventually("the minion registered") { minions.registeredCount == 1 }
                #expect(minions[0].podCIDR == "10.244.77.0/24")
                let node = try await client.get(Node.self, name: "hollow-0")
                #expect(Hollow.readyCondition(node)?.status == "True")
                #expect(node.spec?.podCIDR == "10.244.77.0/24")
            }
        }
    }

    @Test func aRestartedMinionAdoptsItsRunningPodsAndTheirAddresses() async throws {
        try await LocalMaster.withMaster { master in
            let client = master.client
            let first = Hollow.minions(master, count: 1)
            let ip = try await Hollow.running(first) {
                try await hollowEventually("the minion registered") { first.registeredCount == 1 }
                _ = try await client.create(Hollow.pod("old"))
                try await client.bind(pod: "old", node: "hollow-0")
                try await hollowEventually("old runs") {
                    try await client.get(Pod.self, name: "old").status?.phase == .running
                }
                return try #require(try await client.get(Pod.self, name: "old").status?.podIP)
            }
            let second = Hollow.minions(master, count: 1)
            try await Hollow.running(second) {
                try await hollowEventually("the restarted minion adopts old") {
                    second[0].runningPods["default/old"] == ip
                }
                _ = try await client.create(Hollow.pod("new"))
                try await client.bind(pod: "new", node: "hollow-0")
                try await hollowEventually("new runs") {
                    try await client.get(Pod.self, name: "new").status?.phase == .running
                }
                #expect(try await client.get(Pod.self, name: "new").status?.podIP != ip)
            }
        }
    }

    @Test func withTheClusterRangeFullAMinionMakesUpItsPodCIDR() async throws {
        var configuration = LocalMaster.defaultConfiguration
        configuration.clusterCIDR = IPv4CIDR("10.244.0.0/24")!
        try await LocalMaster.withMaster(configuration: configuration) { master in
            let minions = Hollow.minions(master, count: 2)
            try await Hollow.running(minions) {
                try await hollowEventually("both minions registered") { minions.registeredCount == 2 }
                let cidrs = try await master.client.list(Node.self).items.compactMap(\.spec?.podCIDR)
                #expect(Set(cidrs).count == 2)
                #expect(cidrs.contains("10.244.0.0/24"))
                #expect(cidrs.contains { $0.hasPrefix("10.248.") || $0.hasPrefix("10.249.") }, "\(cidrs)")
                _ = try await master.client.create(Hollow.pod("web"))
                let outside = minions.minions.first { $0.podCIDR != "10.244.0.0/24" }!
                try await master.client.bind(pod: "web", node: outside.name)
                try await hollowEventually("web runs") {
                    try await master.client.get(Pod.self, name: "web").status?.phase == .running
                }
                let ip = try await master.client.get(Pod.self, name: "web").status?.podIP ?? ""
                #expect(Hollow.contains(outside.podCIDR ?? "", ip))
            }
        }
    }

    @Test func aMinionRunOnItsOwnWatchesOnlyItsPods() async throws {
        try await LocalMaster.withMaster { master in
            let client = master.client
            var configuration = HollowMinion.Configuration(name: "solo", hostIP: "10.245.200.9")
            configuration.heartbeatInterval = .milliseconds(300)
            configuration.cpu = Quantity(integer: 2)
            let minion = HollowMinion(client: client, configuration: configuration, logger: Hollow.logger())
            try await Hollow.running(minion) {
                try await hollowEventually("solo registered") { minion.isRegistered }
                #expect(try await client.get(Node.self, name: "solo").status?.capacity?["cpu"] == Quantity(integer: 2))
                _ = try await client.create(Hollow.pod("mine"))
                try await client.bind(pod: "mine", node: "solo")
                try await hollowEventually("mine runs") {
                    try await client.get(Pod.self, name: "mine").status?.phase == .running
                }
                #expect(try await client.get(Pod.self, name: "mine").status?.hostIP == "10.245.200.9")
                let beats = minion.heartbeatCount
                try await hollowEventually("solo heartbeats") { minion.heartbeatCount > beats }
            }
        }
    }
}
