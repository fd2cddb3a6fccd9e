import OrcaAPI
import Testing
@testable import OrcaScheduler

@Suite struct PriorityTests {
    @Test func leastRequestedIsTheFreeFractionInTenths() {
        #expect(LeastRequested.score(requested: 0, allocatable: 1000) == 10)
        #expect(LeastRequested.score(requested: 250, allocatable: 1000) == 7)
        #expect(LeastRequested.score(requested: 500, allocatable: 1000) == 5)
        #expect(LeastRequested.score(requested: 1000, allocatable: 1000) == 0)
        #expect(LeastRequested.score(requested: 2000, allocatable: 1000) == 0)
    }

    @Test func undeclaredResourceScoresZero() {
        #expect(LeastRequested.score(requested: 0, allocatable: 0) == 0)
    }

    @Test func hugeAmountsDoNotOverflow() {
        #expect(LeastRequested.score(requested: 0, allocatable: Int64.max) == 10)
        #expect(LeastRequested.score(requested: Int64.max / 2, allocatable: Int64.max) == 5)
    }

    @Test func leastRequestedAveragesCPUAndMemoryAfterPlacingThePod() {
        // 4 cores, 8Gi; the pod takes 1 core and 6Gi: cpu 7, memory 2 -> 4.
        let minion = Fixtures.minion(cpu: "4", memory: "8Gi")
        #expect(LeastRequested.score(Fixtures.request(cpu: "1", memory: "6Gi"), minion) == 4)
    }

    @Test func leastRequestedPrefersTheEmptierMinion() {
        let empty = Fixtures.minion()
        let busy = Fixtures.minion(usedCPU: "3", usedMemory: "6Gi")
        let request = Fixtures.request(cpu: "500m", memory: "512Mi")
        #expect(LeastRequested.score(request, empty) > LeastRequested.score(request, busy))
    }

    @Test func podsWithoutRequestsStillLowerTheScore() {
        // 1 core, 1Gi minion; nine pods without requests count as 900m and 1800Mi.
        var snapshot = ClusterSnapshot()
        snapshot.update(minion: Fixtures.node("m", cpu: "1", memory: "2Gi"))
        let before = LeastRequested.score(Fixtures.request(), snapshot.minion(named: "m")!)
        for i in 0..<9 { snapshot.update(pod: Fixtures.pod("p\(i)", nodeName: "m")) }
        let after = LeastRequested.score(Fixtures.request(), snapshot.minion(named: "m")!)
        #expect(after < before)
    }

    @Test func spreadingFavoursFewerPodsOfTheGroup() {
        #expect(SelectorSpreading.score(count: 0, maxCount: 0) == 10)
        #expect(SelectorSpreading.score(count: 0, maxCount: 2) == 10)
        #expect(SelectorSpreading.score(count: 1, maxCount: 2) == 5)
        #expect(SelectorSpreading.score(count: 2, maxCount: 2) == 0)
    }
}
