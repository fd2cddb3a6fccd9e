import Testing
@testable import OrcaAPI

@Suite struct ValidationEndpointsTests {
    @Test func validEndpoints() {
        #expect(Sample.endpoints().validate() == [])
    }

    @Test func addressesAreIPv4() {
        let endpoints = Sample.endpoints {
            $0.subsets?[0].addresses?.append(EndpointAddress(ip: "10.244.1"))
            $0.subsets?[0].notReadyAddresses = [EndpointAddress(ip: "pod-ip", nodeName: "Minion_2")]
        }
        #expect(lines(endpoints.validate()) == [
            "subsets[0].addresses[1].ip: Invalid value: \"10.244.1\": must be a valid IPv4 address, (e.g. 10.9.8.7)",
            "subsets[0].notReadyAddresses[0].ip: Invalid value: \"pod-ip\": "
                + "must be a valid IPv4 address, (e.g. 10.9.8.7)",
            "subsets[0].notReadyAddresses[0].nodeName: Invalid value: \"Minion_2\": a lowercase RFC 1123 subdomain "
                + "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an "
                + "alphanumeric character (e.g. 'example.com', regex used for validation is "
                + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        ])
    }

    @Test func aSubsetHasAddresses() {
        let endpoints = Sample.endpoints { $0.subsets?[0].addresses = [] }
        #expect(lines(endpoints.validate())
            == ["subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`"])
    }

    @Test func portsAreInRangeWithAProtocolAndUniqueNames() {
        let endpoints = Sample.endpoints {
            $0.subsets?[0].ports = [EndpointPort(port: 0, protocol: .tcp),
                                    EndpointPort(name: "dns", port: 53, protocol: PortProtocol(rawValue: "ICMP")),
                                    EndpointPort(name: "dns", port: 54, protocol: .udp)]
        }
        #expect(lines(endpoints.validate()) == [
            "subsets[0].ports[0].name: Required value",
            "subsets[0].ports[0].port: Invalid value: \"0\": must be between 1 and 65535, inclusive",
            "subsets[0].ports[1].protocol: Unsupported value: \"ICMP\": supported values: \"TCP\", \"UDP\"",
            "subsets[0].ports[2].name: Duplicate value: \"dns\"",
        ])
    }

    @Test func updatesKeepTheName() {
        let renamed = Sample.endpoints { $0.metadata.name = "other" }
        #expect(paths(renamed.validateUpdate(from: Sample.endpoints())) == ["metadata.name"])
    }
}

@Suite struct ValidationNodeTests {
    @Test func validNode() {
        #expect(Sample.node().validate() == [])
    }

    @Test func nodesHaveANameAndNoNamespace() {
        let node = Sample.node {
            $0.metadata.name = nil
            $0.metadata.namespace = "default"
        }
        #expect(lines(node.validate()) == [
            "metadata.name: Required value: name or generateName is required",
            "metadata.namespace: Forbidden: not allowed on this type",
        ])
    }

    @Test(arguments: ["10.244.1.0", "10.244.1.0/33", "10.244.1.0/-1", "fd00::/64", "minion"])
    func podCIDRIsAnIPv4CIDR(cidr: String) {
        let node = Sample.node { $0.spec?.podCIDR = cidr }
        #expect(lines(node.validate())
            == ["spec.podCIDR: Invalid value: \"\(cidr)\": must be a valid CIDR value, (e.g. 10.9.8.0/24)"])
    }

    @Test func capacityIsNotNegative() {
        let node = Sample.node { $0.status?.capacity?["memory"] = Quantity("-1Gi") }
        #expect(lines(node.validate())
            == ["status.capacity[memory]: Invalid value: \"-1Gi\": must be greater than or equal to 0"])
        #expect(Sample.node { $0.status?.capacity?["pods"] = Quantity("110") }.validate() == [])
    }

    @Test func podCIDRIsImmutableOnceSet() {
        let old = Sample.node()
        let changed = Sample.node { $0.spec?.podCIDR = "10.244.9.0/24" }
        #expect(lines(changed.validateUpdate(from: old))
            == ["spec.podCIDR: Invalid value: \"10.244.9.0/24\": field is immutable"])
        let unset = Sample.node { $0.spec?.podCIDR = nil }
        #expect(old.validateUpdate(from: unset) == [])
    }
}

@Suite struct ValidationEventTests {
    @Test func validEvent() {
        #expect(Sample.event().validate() == [])
    }

    @Test func theInvolvedObjectIsInTheEventsNamespace() {
        let event = Sample.event { $0.involvedObject.namespace = "kube-system" }
        #expect(lines(event.validate())
            == ["involvedObject.namespace: Invalid value: \"kube-system\": does not match event.namespace"])
        // Cluster-wide objects (minions) have no namespace.
        #expect(Sample.event { $0.involvedObject.namespace = nil }.validate() == [])
    }

    @Test func typeIsNormalOrWarning() {
        #expect(lines(Sample.event { $0.type = "Info" }.validate())
            == ["type: Unsupported value: \"Info\": supported values: \"Normal\", \"Warning\""])
        #expect(Sample.event { $0.type = "Warning" }.validate() == [])
    }

    @Test func eventsNeedANameAndNamespace() {
        let event = Sample.event {
            $0.metadata = ObjectMeta()
            $0.involvedObject.namespace = nil
        }
        #expect(paths(event.validate()) == ["metadata.name", "metadata.namespace"])
    }
}
