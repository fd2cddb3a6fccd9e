import Logging

/// Holds the service IPs as /32 (/128) addresses of a dummy interface (`orca-svc0`) in this network
/// namespace, managed with iproute2's `ip`.
///
/// A dummy interface takes no traffic of its own; its addresses only make the kernel treat the
/// service IPs as local, so a pod whose default route leads to the minion reaches the proxy's
/// listeners, and so does the minion itself. The interface is made on first use and never removed:
/// across a restart of the minion the addresses stay, so connections to a service are refused at
/// once rather than routed away, and the first sync afterwards removes the addresses of services
/// that went meanwhile (kube-proxy likewise leaves its rules in place when it stops).
///
/// Changes go through one `ip -batch` per call, so a thousand services cost one process, not a
/// thousand. The process is started by `ip`, given by the caller (`orca minion` runs it with
/// OrcaRuntime's `Command`), which keeps process spawning out of this module and lets tests
/// script it.
public actor DummyInterfaceAddresses: ServiceAddressManager {
    /// Runs iproute2's `ip` with `arguments` and, when given, `stdin` as its standard input.
    public typealias IPCommand = @Sendable (_ arguments: [String], _ stdin: String?) async throws -> IPCommandOutput

    public let interface: String
    private let ip: IPCommand
    private let logger: Logger
    /// The interface's addresses as last read or set; nil: read them again.
    private var known: Set<String>?

    public init(interface: String = "orca-svc0", logger: Logger = Logger(label: "orca.proxy"),
                ip: @escaping IPCommand) {
        self.interface = interface
        self.ip = ip
        self.logger = logger
    }

    public func add(_ addresses: Set<String>) async throws {
        var current = try await currentAddresses()
        let missing = addresses.filter { !current.contains($0) && ProxyRule.isIPAddress($0) }.sorted()
        guard !missing.isEmpty else { return }
        try await batch(missing.map { "address add \(Self.hostPrefix($0)) dev \(interface)" })
        current.formUnion(missing)
        known = current
    }

    public func removeAll(except addresses: Set<String>) async throws {
        var current = try await currentAddresses()
        let extra = current.subtracting(addresses).sorted()
        guard !extra.isEmpty else { return }
        try await batch(extra.map { "address del \(Self.hostPrefix($0)) dev \(interface)" })
        current.subtract(extra)
        known = current
    }

    /// The interface's addresses; makes the interface (up) when it does not exist.
    private func currentAddresses() async throws -> Set<String> {
        if let known { return known }
        var shown = try await ip(["-o", "address", "show", "dev", interface], nil)
        if !shown.succeeded {
            logger.info("creating the service address interface", metadata: ["interface": "\(interface)"])
            // -force: "File exists" from a racing creation does not stop the rest.
            // A bridge with no ports, not a `dummy`: this kernel has no dummy driver, and an
            // empty bridge holds local addresses just as well.
            try await batch(["link add \(interface) type bridge", "link set \(interface) up"])
            shown = try await ip(["-o", "address", "show", "dev", interface], nil)
            guard shown.succeeded else {
                throw DummyInterfaceError.command("ip address show dev \(interface)", shown.stderr)
            }
        } else {
            // Made by an earlier run that stopped before bringing it up, or set down by hand.
            try await batch(["link set \(interface) up"])
        }
        let addresses = Self.parseAddresses(shown.stdout)
        known = addresses
        return addresses
    }

    /// Runs `ip -force -batch -` with `lines`; on failure the cache is dropped (what is on the
    /// interface is unknown then) and the error thrown, so the controller retries.
    private func batch(_ lines: [String]) async throws {
        let output: IPCommandOutput
        do {
            output = try await ip(["-force", "-batch", "-"], lines.joined(separator: "\n") + "\n")
        } catch {
            known = nil
            throw error
        }
        guard output.succeeded else {
            known = nil
            throw DummyInterfaceError.command("ip -batch (\(lines.count) lines)", output.stderr)
        }
    }

    /// The addresses in `ip -o address show` output, without their prefix lengths.
    static func parseAddresses(_ text: String) -> Set<String> {
        var addresses = Set<String>()
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            for (i, field) in fields.enumerated() where (field == "inet" || field == "inet6") && i + 1 < fields.count {
                let address = fields[i + 1].split(separator: "/").first.map(String.init) ?? ""
                // The kernel's own IPv6 link-local address of the interface is not a service's.
                if address.lowercased().hasPrefix("fe80:") { continue }
                if ProxyRule.isIPAddress(address) { addresses.insert(address) }
            }
        }
        return addresses
    }

    static func hostPrefix(_ address: String) -> String {
        address.contains(":") ? "\(address)/128" : "\(address)/32"
    }
}

/// What an `ip` command did.
public struct IPCommandOutput: Sendable {
    public var succeeded: Bool
    public var stdout: String
    public var stderr: String

    public init(succeeded: Bool, stdout: String = "", stderr: String = "") {
        self.succeeded = succeeded
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// A failure of the `ip` tool; the controller retries with backoff.
public enum DummyInterfaceError: Error, Sendable, CustomStringConvertible {
    case command(String, String)

    public var description: String {
        switch self {
        case .command(let command, let output):
            "\(command) failed: \(output.split(separator: "\n").joined(separator: "; "))"
        }
    }
}
