import Testing
@testable import OrcaAPI

@Suite struct ValidationServiceTests {
    @Test func theWalkthroughServiceIsValid() {
        #expect(Sample.service().validate() == [])
    }

    @Test func serviceNamesAreDNS1035Labels() {
        for name in ["1jenkins", "jenkins.ci", "Jenkins", String(repeating: "j", count: 64)] {
            let errors = Sample.service { $0.metadata.name = name }.validate()
            #expect(paths(errors) == ["metadata.name"], "\(name)")
        }
        let errors = Sample.service { $0.metadata.name = "1jenkins" }.validate()
        #expect(errors.first?.message == "Invalid value: \"1jenkins\": a DNS-1035 label must consist of lower case "
            + "alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric "
            + "character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")
        #expect(Sample.service { $0.metadata.name = "jenkins-slave" }.validate() == [])
    }

    @Test func portsAreRequiredUnlessHeadless() {
        #expect(lines(Sample.service { $0.spec?.ports = [] }.validate()) == ["spec.ports: Required value"])
        #expect(Sample.service {
            $0.spec?.ports = []
            $0.spec?.clusterIP = "None"
        }.validate() == [])
        #expect(lines(Sample.service { $0.spec = nil }.validate()) == ["spec: Required value"])
    }

    @Test func portNumbersAreInRange() {
        let service = Sample.service {
            $0.spec?.ports = [ServicePort(name: "a", protocol: .tcp, port: 0, targetPort: .int(8080)),
                              ServicePort(name: "b", protocol: .tcp, port: 65536, targetPort: .int(70000))]
        }
        #expect(lines(service.validate()) == [
            "spec.ports[0].port: Invalid value: \"0\": must be between 1 and 65535, inclusive",
            "spec.ports[1].port: Invalid value: \"65536\": must be between 1 and 65535, inclusive",
            "spec.ports[1].targetPort: Invalid value: \"70000\": must be between 1 and 65535, inclusive",
        ])
    }

    @Test func targetPortMayBeAPortName() {
        #expect(Sample.service { $0.spec?.ports?[0].targetPort = .string("http") }.validate() == [])
        let bad = Sample.service { $0.spec?.ports?[0].targetPort = .string("web_ui") }
        #expect(lines(bad.validate()) == [
            "spec.ports[0].targetPort: Invalid value: \"web_ui\": "
                + "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
        ])
    }

    @Test func protocolIsTCPOrUDP() {
        let service = Sample.service { $0.spec?.ports?[0].protocol = PortProtocol(rawValue: "tcp") }
        #expect(lines(service.validate())
            == ["spec.ports[0].protocol: Unsupported value: \"tcp\": supported values: \"TCP\", \"UDP\""])
    }

    @Test func portNamesAreRequiredWithSeveralPortsAndUnique() {
        let unnamed = Sample.service {
            $0.spec?.ports = [ServicePort(protocol: .tcp, port: 80), ServicePort(protocol: .tcp, port: 443)]
        }
        #expect(lines(unnamed.validate())
            == ["spec.ports[0].name: Required value", "spec.ports[1].name: Required value"])
        let named = Sample.service {
            $0.spec?.ports = [ServicePort(name: "web", protocol: .tcp, port: 80),
                              ServicePort(name: "web", protocol: .tcp, port: 443),
                              ServicePort(name: "Admin", protocol: .tcp, port: 8443)]
        }
        #expect(lines(named.validate()) == [
            "spec.ports[1].name: Duplicate value: \"web\"",
            "spec.ports[2].name: Invalid value: \"Admin\": \(labelMessage)",
        ])
    }

    @Test func aPortAndProtocolAppearOnce() {
        let service = Sample.service {
            $0.spec?.ports = [ServicePort(name: "a", protocol: .tcp, port: 53),
                              ServicePort(name: "b", protocol: .udp, port: 53),
                              ServicePort(name: "c", protocol: .tcp, port: 53)]
        }
        #expect(lines(service.validate()) == ["spec.ports[2]: Duplicate value: \"53/TCP\""])
    }

    @Test func selectorLabelsAreValid() {
        let service = Sample.service { $0.spec?.selector = ["name": "-jenkins"] }
        #expect(paths(service.validate()) == ["spec.selector"])
    }

    @Test(arguments: [("", true), ("None", true), ("10.0.29.247", true), ("10.0.29.256", false), ("auto", false)])
    func clusterIPIsEmptyNoneOrAnAddress(ip: String, valid: Bool) {
        let errors = Sample.service { $0.spec?.clusterIP = ip }.validate()
        #expect(lines(errors) == (valid ? [] : [
            "spec.clusterIP: Invalid value: \"\(ip)\": must be empty, 'None', or a valid IP address",
        ]))
    }

    @Test func sessionAffinityAndType() {
        let service = Sample.service {
            $0.spec?.sessionAffinity = "Sticky"
            $0.spec?.type = "ExternalName"
        }
        #expect(lines(service.validate()) == [
            "spec.sessionAffinity: Unsupported value: \"Sticky\": supported values: \"ClientIP\", \"None\"",
            "spec.type: Unsupported value: \"ExternalName\": "
                + "supported values: \"ClusterIP\", \"NodePort\", \"LoadBalancer\"",
        ])
        #expect(Sample.service {
            $0.spec?.sessionAffinity = "ClientIP"
            $0.spec?.type = "LoadBalancer"
        }.validate() == [])
    }

    @Test func nodePortNeedsANodePortService() {
        let clusterIP = Sample.service { $0.spec?.ports?[0].nodePort = 30080 }
        #expect(lines(clusterIP.validate())
            == ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"])
        let nodePort = Sample.service {
            $0.spec?.type = "NodePort"
            $0.spec?.ports?[0].nodePort = 70000
        }
        #expect(paths(nodePort.validate()) == ["spec.ports[0].nodePort"])
    }

    @Test func externalIPsAreAddresses() {
        let service = Sample.service { $0.spec?.externalIPs = ["10.245.2.2", "host"] }
        #expect(lines(service.validate())
            == ["spec.externalIPs[1]: Invalid value: \"host\": must be a valid IPv4 address, (e.g. 10.9.8.7)"])
    }

    @Test func clusterIPIsImmutableOnceSet() {
        let old = Sample.service { $0.spec?.clusterIP = "10.0.29.247" }
        let moved = Sample.service { $0.spec?.clusterIP = "10.0.0.2" }
        #expect(lines(moved.validateUpdate(from: old))
            == ["spec.clusterIP: Invalid value: \"10.0.0.2\": field is immutable"])
        #expect(old.validateUpdate(from: old) == [])
        // Allocation sets it on a service that had none.
        #expect(old.validateUpdate(from: Sample.service()) == [])
        let newPort = Sample.service {
            $0.spec?.clusterIP = "10.0.29.247"
            $0.spec?.ports?[0].port = 9999
        }
        #expect(newPort.validateUpdate(from: old) == [])
    }

    @Test func everyMistakeIsReportedAtOnce() {
        let service = Sample.service {
            $0.metadata.name = "9lives"
            $0.spec?.ports = [ServicePort(protocol: .tcp, port: 0), ServicePort(protocol: .udp, port: 53)]
            $0.spec?.clusterIP = "x"
            $0.spec?.type = "Magic"
        }
        #expect(paths(service.validate()) == [
            "metadata.name", "spec.ports[0].name", "spec.ports[0].port", "spec.ports[1].name", "spec.clusterIP",
            "spec.type",
        ])
    }
}
