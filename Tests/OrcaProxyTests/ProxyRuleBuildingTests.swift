import OrcaAPI
import Testing
@testable import OrcaProxy

/// `ProxyRule.rules(services:endpoints:)`: what the controller asks the proxy for.
@Suite struct ProxyRuleBuildingTests {
    func service(_ name: String, ip: String?, ports: [ServicePort], namespace: String = "default",
                 affinity: String? = nil) -> Service {
        var spec = ServiceSpec(ports: ports, selector: ["app": name], clusterIP: ip)
        spec.sessionAffinity = affinity
        return Service(metadata: ObjectMeta(name: name, namespace: namespace), spec: spec)
    }

    func endpoints(_ name: String, _ subsets: [EndpointSubset], namespace: String = "default") -> Endpoints {
        Endpoints(metadata: ObjectMeta(name: name, namespace: namespace), subsets: subsets)
    }

    @Test func aSinglePortServiceTakesEveryReadyAddress() {
        let rules = ProxyRule.rules(
            services: [service("web", ip: "10.0.0.5", ports: [ServicePort(port: 80, targetPort: .int(8080))])],
            endpoints: [endpoints("web", [EndpointSubset(
                addresses: [EndpointAddress(ip: "10.244.1.3"), EndpointAddress(ip: "10.244.0.2")],
                notReadyAddresses: [EndpointAddress(ip: "10.244.2.9")],
                ports: [EndpointPort(port: 8080, protocol: .tcp)])])])
        #expect(rules == [ProxyRule(name: "web", serviceIP: "10.0.0.5", port: 80, endpoints: [
            .init(ip: "10.244.0.2", port: 8080), .init(ip: "10.244.1.3", port: 8080),
        ])])
    }

    @Test func multiPortServicesMatchEndpointPortsByName() {
        let svc = service("app", ip: "10.0.0.7", ports: [
            ServicePort(name: "http", port: 80), ServicePort(name: "dns", protocol: .udp, port: 53),
        ])
        let eps = endpoints("app", [
            EndpointSubset(addresses: [EndpointAddress(ip: "10.244.1.1")],
                           ports: [EndpointPort(name: "dns", port: 5353, protocol: .udp),
                                   EndpointPort(name: "http", port: 8080)]),
            // Pods whose http port resolved to another number: a subset of their own.
            EndpointSubset(addresses: [EndpointAddress(ip: "10.244.2.1")],
                           ports: [EndpointPort(name: "http", port: 9090)]),
        ])
        let rules = ProxyRule.rules(services: [svc], endpoints: [eps])
        #expect(rules.map(\.key) == [
            ProxyRule.Key(serviceIP: "10.0.0.7", port: 53, protocol: .udp),
            ProxyRule.Key(serviceIP: "10.0.0.7", port: 80, protocol: .tcp),
        ])
        #expect(rules[0].portName == "dns")
        #expect(rules[0].endpoints == [.init(ip: "10.244.1.1", port: 5353)])
        #expect(rules[1].endpoints == [.init(ip: "10.244.1.1", port: 8080), .init(ip: "10.244.2.1", port: 9090)])
    }

    @Test func headlessAndIPlessServicesHaveNoRules() {
        let port = [ServicePort(port: 80)]
        let rules = ProxyRule.rules(services: [
            service("headless", ip: "None", ports: port),
            service("pending", ip: nil, ports: port),
            service("empty", ip: "", ports: port),
            service("bogus", ip: "10.0.0.1\nlink del eth0", ports: port),
            service("name", ip: "example.com", ports: port),
        ], endpoints: [])
        #expect(rules.isEmpty)
    }

    @Test func aServiceWithoutEndpointsStillListens() {
        let rules = ProxyRule.rules(services: [service("lonely", ip: "10.0.0.9", ports: [ServicePort(port: 80)])],
                                    endpoints: [])
        #expect(rules.count == 1)
        #expect(rules.first?.endpoints == [])
    }

    @Test func endpointsOfAnotherNamespaceOrWithBadAddressesAreNotUsed() {
        let rules = ProxyRule.rules(
            services: [service("web", ip: "10.0.0.5", ports: [ServicePort(port: 80)], namespace: "prod")],
            endpoints: [
                endpoints("web", [EndpointSubset(addresses: [EndpointAddress(ip: "10.244.9.9")],
                                                 ports: [EndpointPort(port: 80)])], namespace: "dev"),
                endpoints("web", [EndpointSubset(addresses: [EndpointAddress(ip: "not-an-ip"),
                                                             EndpointAddress(ip: "10.244.1.1")],
                                                 ports: [EndpointPort(port: 80)])], namespace: "prod"),
            ])
        #expect(rules.first?.namespace == "prod")
        #expect(rules.first?.endpoints == [.init(ip: "10.244.1.1", port: 80)])
    }

    @Test func clientIPAffinityAndDuplicatesAndOrder() {
        let eps = endpoints("web", [
            EndpointSubset(addresses: [EndpointAddress(ip: "10.244.1.2"), EndpointAddress(ip: "10.244.1.1")],
                           ports: [EndpointPort(port: 80)]),
            EndpointSubset(addresses: [EndpointAddress(ip: "10.244.1.1")], ports: [EndpointPort(port: 80)]),
        ])
        let svc = service("web", ip: "10.0.0.5", ports: [ServicePort(port: 80)], affinity: "ClientIP")
        let rules = ProxyRule.rules(services: [svc], endpoints: [eps])
        #expect(rules.first?.sessionAffinity == .clientIP(timeout: .seconds(10800)))
        #expect(rules.first?.endpoints == [.init(ip: "10.244.1.1", port: 80), .init(ip: "10.244.1.2", port: 80)])
        // The same objects in another order give the same rules.
        let other = service("api", ip: "10.0.0.1", ports: [ServicePort(port: 443)])
        #expect(ProxyRule.rules(services: [svc, other], endpoints: [eps])
            == ProxyRule.rules(services: [other, svc], endpoints: [eps]))
    }

    @Test func portsOutOfRangeAndUnknownProtocolsAreSkipped() {
        let svc = service("odd", ip: "10.0.0.3", ports: [
            ServicePort(name: "zero", port: 0),
            ServicePort(name: "sctp", protocol: PortProtocol(rawValue: "SCTP"), port: 9),
            ServicePort(name: "big", port: 70000), ServicePort(name: "ok", port: 8),
        ])
        let rules = ProxyRule.rules(services: [svc], endpoints: [])
        #expect(rules.map(\.portName) == ["ok"])
    }
}
