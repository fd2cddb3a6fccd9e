import OrcaAPI
@testable import OrcaKubelet
import Testing

@Suite("service environment variables")
struct ServiceEnvironmentTests {
    static func service(_ name: String, namespace: String = "default", ip: String?, ports: [ServicePort]) -> Service {
        Service(metadata: ObjectMeta(name: name, namespace: namespace), spec: ServiceSpec(ports: ports, clusterIP: ip))
    }

    @Test("the seed's jenkins variables, exactly")
    func seedVariables() {
        let jenkins = Self.service("jenkins", ip: "10.0.29.247", ports: [ServicePort(port: 8888, targetPort: .int(8080))])
        let env = ServiceEnvironment.variables([jenkins], namespace: "default")
        #expect(env.map { "\($0.name)=\($0.value ?? "")" } == [
            "JENKINS_SERVICE_HOST=10.0.29.247",
            "JENKINS_SERVICE_PORT=8888",
            "JENKINS_PORT=tcp://10.0.29.247:8888",
            "JENKINS_PORT_8080_TCP=tcp://10.0.29.247:8888",
            "JENKINS_PORT_8080_TCP_ADDR=10.0.29.247",
            "JENKINS_PORT_8080_TCP_PORT=8888",
            "JENKINS_PORT_8080_TCP_PROTO=tcp",
        ])
    }

    @Test("dashes become underscores; UDP ports; other namespaces left out; the master's services added")
    func namesProtocolsNamespaces() {
        let slave = Self.service("jenkins-slave", ip: "10.0.86.28", ports: [ServicePort(port: 50000, targetPort: .int(50000))])
        let dns = Self.service("dns", ip: "10.0.0.10", ports: [ServicePort(protocol: .udp, port: 53)])
        let master = Self.service("kubernetes", ip: "10.0.0.1", ports: [ServicePort(port: 443)])
        let other = Self.service("elsewhere", namespace: "team", ip: "10.0.5.5", ports: [ServicePort(port: 80)])
        let headless = Self.service("headless", ip: "None", ports: [ServicePort(port: 80)])
        let env = Dictionary(uniqueKeysWithValues: ServiceEnvironment.variables(
            [slave, dns, master, other, headless], namespace: "default").map { ($0.name, $0.value ?? "") })
        #expect(env["JENKINS_SLAVE_SERVICE_HOST"] == "10.0.86.28")
        #expect(env["JENKINS_SLAVE_SERVICE_PORT"] == "50000")
        #expect(env["DNS_PORT_53_UDP"] == "udp://10.0.0.10:53")
        #expect(env["DNS_PORT_53_UDP_PROTO"] == "udp")
        #expect(env["KUBERNETES_SERVICE_HOST"] == "10.0.0.1")
        #expect(env["ELSEWHERE_SERVICE_HOST"] == nil)
        #expect(env["HEADLESS_SERVICE_HOST"] == nil)

        let team = Dictionary(uniqueKeysWithValues: ServiceEnvironment.variables(
            [slave, master, other], namespace: "team").map { ($0.name, $0.value ?? "") })
        #expect(team["ELSEWHERE_SERVICE_HOST"] == "10.0.5.5")
        #expect(team["KUBERNETES_SERVICE_HOST"] == "10.0.0.1", "pods of every namespace find the master")
        #expect(team["JENKINS_SLAVE_SERVICE_HOST"] == nil)
    }
}
