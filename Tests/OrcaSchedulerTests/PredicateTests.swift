import OrcaAPI
import Testing
@testable import OrcaScheduler

@Suite struct PredicateTests {
    @Test func readyMinionPasses() {
        #expect(MinionReady.check(Fixtures.request(), Fixtures.minion()) == nil)
    }

    @Test func notReadyMinionFails() {
        #expect(MinionReady.check(Fixtures.request(), Fixtures.minion(ready: false)) == .notReady)
    }

    @Test func minionWithoutReadyConditionIsNotReady() {
        var node = Fixtures.node("m")
        node.status?.conditions = nil
        #expect(MinionReady.check(Fixtures.request(), MinionInfo(node: node)) == .notReady)
        node.status?.conditions = [NodeCondition(type: "Ready", status: "Unknown")]
        #expect(MinionReady.check(Fixtures.request(), MinionInfo(node: node)) == .notReady)
    }

    @Test func cordonedMinionFails() {
        let info = MinionInfo(node: Fixtures.node("m", unschedulable: true))
        #expect(MinionReady.check(Fixtures.request(), info) == .unschedulable)
    }

    @Test func requestsThatFitPass() {
        let minion = Fixtures.minion(cpu: "2", memory: "1Gi", usedCPU: "1", usedMemory: "512Mi")
        #expect(ResourcesFit.check(Fixtures.request(cpu: "1", memory: "512Mi"), minion) == nil)
    }

    @Test func cpuBeyondWhatIsLeftFails() {
        let minion = Fixtures.minion(cpu: "2", usedCPU: "1500m")
        #expect(ResourcesFit.check(Fixtures.request(cpu: "501m"), minion) == .insufficientCPU)
        #expect(ResourcesFit.check(Fixtures.request(cpu: "500m"), minion) == nil)
    }

    @Test func memoryBeyondWhatIsLeftFails() {
        let minion = Fixtures.minion(memory: "1Gi", usedMemory: "1000Mi")
        #expect(ResourcesFit.check(Fixtures.request(memory: "25Mi"), minion) == .insufficientMemory)
        #expect(ResourcesFit.check(Fixtures.request(memory: "24Mi"), minion) == nil)
    }

    @Test func cpuIsReportedBeforeMemory() {
        let minion = Fixtures.minion(cpu: "1", memory: "1Gi")
        #expect(ResourcesFit.check(Fixtures.request(cpu: "2", memory: "2Gi"), minion) == .insufficientCPU)
    }

    @Test func allocatableWinsOverCapacity() {
        let info = MinionInfo(node: Fixtures.node("m", cpu: "4", allocatable: ["cpu": "1"]))
        #expect(info.allocatableMilliCPU == 1000)
        #expect(ResourcesFit.check(Fixtures.request(cpu: "2"), info) == .insufficientCPU)
    }

    @Test func undeclaredResourceIsUnlimited() {
        let info = MinionInfo(node: Fixtures.node("m", cpu: nil, memory: nil))
        #expect(ResourcesFit.check(Fixtures.request(cpu: "64", memory: "1Ti"), info) == nil)
    }

    @Test func podWithoutRequestsFitsAFullMinion() {
        let minion = Fixtures.minion(cpu: "1", memory: "1Gi", usedCPU: "1", usedMemory: "1Gi")
        #expect(ResourcesFit.check(Fixtures.request(), minion) == nil)
    }

    @Test func usedHostPortExcludesTheMinion() {
        let minion = Fixtures.minion(ports: [HostPort(port: 8080)])
        #expect(HostPortsFree.check(Fixtures.request(hostPorts: [HostPort(port: 8080)]), minion)
            == .hostPortInUse(HostPort(port: 8080)))
        #expect(HostPortsFree.check(Fixtures.request(hostPorts: [HostPort(port: 8081)]), minion) == nil)
    }

    @Test func hostPortsDifferByProtocol() {
        let minion = Fixtures.minion(ports: [HostPort(port: 53, protocol: .udp)])
        #expect(HostPortsFree.check(Fixtures.request(hostPorts: [HostPort(port: 53)]), minion) == nil)
        #expect(HostPortsFree.check(Fixtures.request(hostPorts: [HostPort(port: 53, protocol: .udp)]), minion)
            == .hostPortInUse(HostPort(port: 53, protocol: .udp)))
    }

    @Test func nodeSelectorMustMatchEveryLabel() {
        let minion = Fixtures.minion(labels: ["disk": "ssd", "zone": "a"])
        #expect(NodeSelectorMatches.check(Fixtures.request(nodeSelector: ["disk": "ssd"]), minion) == nil)
        #expect(NodeSelectorMatches.check(Fixtures.request(nodeSelector: ["disk": "ssd", "zone": "a"]), minion) == nil)
        #expect(NodeSelectorMatches.check(Fixtures.request(nodeSelector: ["disk": "hdd"]), minion)
            == .nodeSelectorMismatch)
        #expect(NodeSelectorMatches.check(Fixtures.request(nodeSelector: ["gpu": "yes"]), minion)
            == .nodeSelectorMismatch)
        #expect(NodeSelectorMatches.check(Fixtures.request(), Fixtures.minion()) == nil)
    }
}
