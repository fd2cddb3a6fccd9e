import OrcaAPI
import Testing
@testable import OrcaScheduler

@Suite struct PodRequestTests {
    @Test func requestsAreSummedOverContainers() {
        let request = PodRequest(pod: Fixtures.pod("p", cpu: "250m", memory: "64Mi", containers: 3))
        #expect(request.milliCPU == 750)
        #expect(request.memory == 3 * 64 * 1024 * 1024)
        #expect(request.key == "default/p")
    }

    @Test func limitsStandInForMissingRequests() {
        let request = PodRequest(pod: Fixtures.pod("p", cpu: "1", memory: "1Gi", limitsOnly: true))
        #expect(request.milliCPU == 1000)
        #expect(request.memory == 1 << 30)
    }

    @Test func requestsWinOverLimits() {
        var pod = Fixtures.pod("p")
        pod.spec?.containers[0].resources = ResourceRequirements(
            limits: ["cpu": Quantity("2")!, "memory": Quantity("2Gi")!], requests: ["cpu": Quantity("500m")!])
        let request = PodRequest(pod: pod)
        #expect(request.milliCPU == 500)
        #expect(request.memory == 2 << 30)
    }

    @Test func containersWithoutRequestsScoreAsKubernetesDefaults() {
        let request = PodRequest(pod: Fixtures.pod("p", containers: 2))
        #expect(request.milliCPU == 0 && request.memory == 0)
        #expect(request.scoringMilliCPU == 200)
        #expect(request.scoringMemory == 400 * 1024 * 1024)
    }

    @Test func hostPortsAreCollectedOnceWithTheirProtocol() {
        var pod = Fixtures.pod("p")
        pod.spec?.containers[0].ports = [
            ContainerPort(containerPort: 80, hostPort: 8080),
            ContainerPort(containerPort: 53, hostPort: 53, protocol: .udp),
            ContainerPort(containerPort: 81),
        ]
        pod.spec?.containers.append(
            Container(name: "b", image: "x", ports: [ContainerPort(containerPort: 80, hostPort: 8080)]))
        #expect(PodRequest(pod: pod).hostPorts == [HostPort(port: 8080), HostPort(port: 53, protocol: .udp)])
    }

    @Test func hostNetworkMakesEveryContainerPortAHostPort() {
        var pod = Fixtures.pod("p")
        pod.spec?.hostNetwork = true
        pod.spec?.containers[0].ports = [ContainerPort(containerPort: 9000)]
        #expect(PodRequest(pod: pod).hostPorts == [HostPort(port: 9000)])
    }

    @Test func tieBreakIsStableAndDiffersByPod() {
        let a = PodRequest(pod: Fixtures.pod("a")).tieBreak
        #expect(a == PodRequest(pod: Fixtures.pod("a")).tieBreak)
        #expect(a != PodRequest(pod: Fixtures.pod("b")).tieBreak)
    }

    @Test func hostPortDescriptionNamesNonTCPProtocols() {
        #expect(HostPort(port: 8080).description == "8080")
        #expect(HostPort(port: 53, protocol: .udp).description == "53/UDP")
    }
}
