import OrcaAPI
import OrcaProxy
import Testing

@Suite("DNS record table")
struct DNSRecordTableTests {
    let table = DNSRecordTable(services: [
        DNSTest.service("jenkins", ip: "10.0.0.5", ports: [DNSTest.httpPort, ServicePort(port: 50000)]),
        DNSTest.service("db", namespace: "prod", ip: "10.0.0.6",
                        ports: [ServicePort(name: "pg", port: 5432), DNSTest.dnsUDPPort]),
        DNSTest.service("headless", ip: "None"),
    ], serial: 3)

    func answer(_ name: String, _ type: DNSRecordType) -> DNSRecordTable.Answer {
        table.answer(DNSQuestion(name: DNSName(name), type: type))
    }

    func data(_ answer: DNSRecordTable.Answer) -> [DNSRecordData] {
        guard case .records(let records, _, _) = answer else { return [] }
        return records.map(\.data)
    }

    @Test func answersAForTheFullNameAndTheShortForms() {
        #expect(data(answer("jenkins.default.svc.cluster.local", .a)) == [.a([10, 0, 0, 5])])
        #expect(data(answer("jenkins.default", .a)) == [.a([10, 0, 0, 5])])
        #expect(data(answer("jenkins", .a)) == [.a([10, 0, 0, 5])])
        #expect(data(answer("db.prod.svc.cluster.local", .a)) == [.a([10, 0, 0, 6])])
        #expect(data(answer("db.prod", .a)) == [.a([10, 0, 0, 6])])
        // The one-label short form is the namespace `default` only.
        #expect(answer("db", .a) == .forward)
        #expect(answer("jenkins.prod", .a) == .forward)
    }

    @Test func ownsRecordsByTheNameAsAsked() {
        guard case .records(let records, _, let authoritative) = answer("JENKINS.Default.SVC.cluster.local", .a) else {
            Issue.record("no records")
            return
        }
        #expect(records.first?.name.labels.first == Array("JENKINS".utf8))
        #expect(records.first?.ttl == 5)
        #expect(authoritative)
    }

    @Test func answersSRVForNamedPortsWithTheTargetsAddress() {
        let target = DNSName("jenkins.default.svc.cluster.local")
        guard case .records(let records, let hints, _) = answer("_http._tcp.jenkins.default.svc.cluster.local", .srv)
        else {
            Issue.record("no SRV")
            return
        }
        #expect(records.map(\.data) == [.srv(priority: 0, weight: 100, port: 80, target: target)])
        #expect(hints.map(\.data) == [.a([10, 0, 0, 5])])
        #expect(hints.first?.name == target)
        #expect(data(answer("_dns._udp.db.prod.svc.cluster.local", .srv)).count == 1)
        // The protocol is part of the name.
        if case .nameError = answer("_dns._tcp.db.prod.svc.cluster.local", .srv) {} else {
            Issue.record("expected NXDOMAIN for the wrong protocol")
        }
        // The service's own name lists every port, named or not.
        #expect(data(answer("jenkins.default.svc.cluster.local", .srv)) == [
            .srv(priority: 0, weight: 100, port: 80, target: target),
            .srv(priority: 0, weight: 100, port: 50000, target: target),
        ])
    }

    @Test func saysNXDOMAINWithTheZonesSOAForUnknownNames() {
        guard case .nameError(let authority) = answer("nope.default.svc.cluster.local", .a) else {
            Issue.record("expected NXDOMAIN")
            return
        }
        #expect(authority.map(\.name) == [DNSName("cluster.local")])
        guard case .soa(let soa) = authority.first?.data else {
            Issue.record("expected an SOA")
            return
        }
        #expect(soa.serial == 3)
        #expect(soa.minimum == 5)
    }

    @Test func saysNODATAForKnownNamesWithoutTheType() {
        // AAAA of a service: the name exists, so NODATA, not NXDOMAIN (busybox asks for both).
        #expect(answer("jenkins.default.svc.cluster.local", .aaaa) == .noData(
            authority: [table.soaRecord], authoritative: true))
        // Names that exist only because names exist below them (RFC 8020).
        for name in ["default.svc.cluster.local", "svc.cluster.local", "_tcp.jenkins.default.svc.cluster.local"] {
            #expect(answer(name, .a) == .noData(authority: [table.soaRecord], authoritative: true), "\(name)")
        }
        #expect(answer("jenkins", .aaaa) == .noData(authority: [], authoritative: false))
        // A headless service has a name and no address.
        #expect(answer("headless.default.svc.cluster.local", .a) == .noData(
            authority: [table.soaRecord], authoritative: true))
        #expect(answer("headless", .a) == .forward)
    }

    @Test func answersTheZonesSOA() {
        #expect(data(answer("cluster.local", .soa)) == [table.soaRecord.data])
    }

    @Test func answersPTRForServiceIPs() {
        #expect(data(answer("5.0.0.10.in-addr.arpa", .ptr)) == [.ptr(DNSName("jenkins.default.svc.cluster.local"))])
        #expect(answer("9.0.0.10.in-addr.arpa", .ptr) == .forward)
    }

    @Test func forwardsNamesOutsideTheCluster() {
        #expect(answer("example.com", .a) == .forward)
        #expect(answer("local", .a) == .forward)
    }

    @Test func refusesZoneTransfersAndOtherClasses() {
        #expect(answer("cluster.local", .axfr) == .refused)
        let chaos = DNSQuestion(name: DNSName("jenkins.default.svc.cluster.local"), type: .a,
                                recordClass: DNSClass(rawValue: 3))
        #expect(table.answer(chaos) == .refused)
    }

    @Test func servesNothingInTheZoneBeforeTheFirstSync() {
        let unsynced = DNSRecordTable.unsynced()
        #expect(unsynced.answer(DNSQuestion(name: DNSName("jenkins.default.svc.cluster.local"), type: .a)) == .notReady)
        #expect(unsynced.answer(DNSQuestion(name: DNSName("example.com"), type: .a)) == .forward)
    }

    @Test func skipsServicesWithoutUsableNames() {
        let odd = DNSRecordTable(services: [
            Service(metadata: ObjectMeta(name: nil), spec: ServiceSpec(clusterIP: "10.0.0.1")),
            DNSTest.service(String(repeating: "x", count: 64), ip: "10.0.0.2"),
            DNSTest.service("v6", ip: "fd00::1"),
        ])
        #expect(odd.answer(DNSQuestion(name: DNSName("v6.default.svc.cluster.local"), type: .a)) == .noData(
            authority: [odd.soaRecord], authoritative: true))
        #expect(odd.answer(DNSQuestion(name: DNSName("2.0.0.10.in-addr.arpa"), type: .ptr)) == .forward)
    }
}
