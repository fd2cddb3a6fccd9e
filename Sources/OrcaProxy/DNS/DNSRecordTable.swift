import OrcaAPI

/// The cluster's names and what they resolve to, made from the services at one moment: an
/// immutable value the server swaps whole on every change, so a query never sees half an
/// update.
///
/// For a service `NAME` in `NAMESPACE` with cluster IP `IP` (zone `cluster.local`):
/// - `NAME.NAMESPACE.svc.cluster.local` has `A IP`, and one SRV per port;
/// - `_PORT._PROTO.NAME.NAMESPACE.svc.cluster.local` has an SRV for each named port;
/// - `NAME.NAMESPACE.` and, in the namespace `default` only, `NAME.` have `A IP` (short forms,
///   answered only when such a service exists; otherwise the name is forwarded upstream);
/// - the reverse name of `IP` under `in-addr.arpa` has a PTR to the first name.
/// Headless services (no IPv4 cluster IP) have a name but no records.
public struct DNSRecordTable: Sendable {
    public struct Configuration: Sendable, Equatable {
        /// The cluster domain.
        public var zone: DNSName = DNSName("cluster.local")
        /// Seconds clients may cache answers and negative answers. Short, because service IPs
        /// come and go with services and nothing tells a client's cache.
        public var ttl: UInt32 = 5
        /// The namespace of the one-label short form `NAME.`.
        public var defaultNamespace = "default"

        public init() {}
    }

    /// What the table says about one question.
    public enum Answer: Equatable, Sendable {
        /// Records for the answer section, with hints for the additional section.
        case records([DNSResourceRecord], additionals: [DNSResourceRecord], authoritative: Bool)
        /// The name exists but has no records of the type; `authority` is the zone's SOA when
        /// the name is in the zone.
        case noData(authority: [DNSResourceRecord], authoritative: Bool)
        /// No such name in the zone; `authority` holds the zone's SOA.
        case nameError(authority: [DNSResourceRecord])
        /// A question the server will not answer (zone transfers, classes other than IN).
        case refused
        /// A name in the zone before the first list of services arrived: SERVFAIL, so clients
        /// retry instead of caching a wrong NXDOMAIN.
        case notReady
        /// A name outside the cluster: for the upstream servers.
        case forward
    }

    public let configuration: Configuration
    /// Increases with every table the server installs; the SOA's serial.
    public let serial: UInt32
    /// False only for ``unsynced(configuration:)``.
    public let isSynced: Bool
    /// Data by lowercased owner name; an empty list marks a name that exists only because
    /// names exist below it (an empty non-terminal: NODATA, not NXDOMAIN, RFC 8020).
    private var records: [DNSName: [DNSRecordData]] = [:]
    /// `A` data of the short forms, by lowercased name.
    private var shortForms: [DNSName: [UInt8]] = [:]
    private let zone: DNSName
    private static let reverseZone = DNSName("in-addr.arpa")

    /// A table that knows no services yet: in-zone questions get SERVFAIL.
    public static func unsynced(configuration: Configuration = Configuration()) -> DNSRecordTable {
        DNSRecordTable(services: [], configuration: configuration, serial: 0, synced: false)
    }

    public init(services: [Service], configuration: Configuration = Configuration(), serial: UInt32 = 1) {
        self.init(services: services, configuration: configuration, serial: serial, synced: true)
    }

    private init(services: [Service], configuration: Configuration, serial: UInt32, synced: Bool) {
        self.configuration = configuration
        self.serial = serial
        self.isSynced = synced
        zone = configuration.zone.lowercased()
        records[zone] = []
        // Sorted, so that of two services claiming one IP the same one always owns the PTR.
        let sorted = services.sorted {
            let (left, right) = ($0.metadata, $1.metadata)
            return (left.namespace ?? "", left.name ?? "") < (right.namespace ?? "", right.name ?? "")
        }
        for service in sorted { add(service) }
    }

    private mutating func add(_ service: Service) {
        let namespace = service.metadata.namespace ?? "default"
        guard let name = service.metadata.name, Self.isLabel(name), Self.isLabel(namespace) else { return }
        let fqdn = DNSName(labels: [Array(name.utf8), Array(namespace.utf8), Array("svc".utf8)] + zone.labels)
            .lowercased()
        guard fqdn.wireLength <= DNSName.maxWireLength else { return }
        insert(fqdn, [])
        guard let ip = service.spec?.clusterIP.flatMap(Self.ipv4Octets) else { return }
        insert(fqdn, [.a(ip)])
        var portRecords: [DNSRecordData] = []
        for port in service.spec?.ports ?? [] {
            guard let number = UInt16(exactly: port.port), number > 0 else { continue }
            let srv = DNSRecordData.srv(priority: 0, weight: 100, port: number, target: fqdn)
            if !portRecords.contains(srv) { portRecords.append(srv) }
            guard let portName = port.name, Self.isLabel("_" + portName) else { continue }
            let proto = (port.protocol ?? .tcp).rawValue
            let owner = fqdn.prepending("_" + proto).prepending("_" + portName).lowercased()
            guard owner.wireLength <= DNSName.maxWireLength else { continue }
            insert(owner, [srv])
        }
        insert(fqdn, portRecords)
        shortForms[DNSName(labels: [Array(name.utf8), Array(namespace.utf8)]).lowercased()] = ip
        if namespace == configuration.defaultNamespace {
            shortForms[DNSName(labels: [Array(name.utf8)]).lowercased()] = ip
        }
        let reverse = DNSName(labels: ip.reversed().map { Array(String($0).utf8) } + Self.reverseZone.labels)
        if records[reverse] == nil { records[reverse] = [.ptr(fqdn)] }
    }

    /// Adds data at `name`, and marks every name between it and the zone as existing.
    private mutating func insert(_ name: DNSName, _ data: [DNSRecordData]) {
        records[name, default: []].append(contentsOf: data)
        var parent = name.dropFirst()
        while parent.labels.count > zone.labels.count, records[parent] == nil {
            records[parent] = []
            parent = parent.dropFirst()
        }
    }

    /// What to answer to `question`; records are owned by the question's name as it was asked.
    public func answer(_ question: DNSQuestion) -> Answer {
        let name = question.name.lowercased()
        let classOK = question.recordClass == .internet || question.recordClass == .any
        if name.isSubdomain(of: zone) {
            guard isSynced else { return .notReady }
            guard classOK, question.type != .axfr, question.type != .ixfr else { return .refused }
            guard let data = records[name] else { return .nameError(authority: [soaRecord]) }
            var matching = data.filter { Self.type(of: $0) == question.type || question.type == .any }
            if name == zone, question.type == .soa || question.type == .any { matching.append(.soa(soa)) }
            guard !matching.isEmpty else { return .noData(authority: [soaRecord], authoritative: true) }
            let answers = matching.map { record(question.name, $0) }
            return .records(answers, additionals: hints(for: matching), authoritative: true)
        }
        guard classOK, isSynced else { return .forward }
        if name.isSubdomain(of: Self.reverseZone), let data = records[name] {
            guard question.type == .ptr || question.type == .any else {
                return .noData(authority: [], authoritative: true)
            }
            return .records(data.map { record(question.name, $0) }, additionals: [], authoritative: true)
        }
        if let ip = shortForms[name] {
            guard question.type == .a || question.type == .any else {
                return .noData(authority: [], authoritative: false)
            }
            return .records([record(question.name, .a(ip))], additionals: [], authoritative: false)
        }
        return .forward
    }

    /// The A records of the SRV targets among `data`, for the additional section.
    private func hints(for data: [DNSRecordData]) -> [DNSResourceRecord] {
        var targets: [DNSName] = []
        for case .srv(_, _, _, let target) in data where !targets.contains(target) { targets.append(target) }
        return targets.flatMap { target in
            (records[target] ?? []).filter { Self.type(of: $0) == .a }.map { record(target, $0) }
        }
    }

    /// The zone's SOA, for the authority section of negative answers in the zone (RFC 2308).
    public var soaRecord: DNSResourceRecord { record(zone, .soa(soa)) }

    private var soa: DNSSOA {
        DNSSOA(primaryServer: zone.prepending("dns").prepending("ns"), mailbox: zone.prepending("hostmaster"),
               serial: serial, refresh: 7200, retry: 1800, expire: 86400, minimum: configuration.ttl)
    }

    private func record(_ name: DNSName, _ data: DNSRecordData) -> DNSResourceRecord {
        DNSResourceRecord(name: name, type: Self.type(of: data), ttl: configuration.ttl, data: data)
    }

    private static func type(of data: DNSRecordData) -> DNSRecordType {
        switch data {
        case .a: .a
        case .srv: .srv
        case .soa: .soa
        case .ptr: .ptr
        case .cname: .cname
        case .ns: .ns
        case .raw: DNSRecordType(rawValue: 0)
        }
    }

    private static func isLabel(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= DNSName.maxLabelLength && !text.contains(".")
    }

    /// `a.b.c.d` as four octets; nil for anything else (`None`, empty, IPv6).
    static func ipv4Octets(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let value = UInt8(part) else {
                return nil
            }
            octets.append(value)
        }
        return octets
    }
}
