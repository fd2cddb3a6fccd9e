#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore

extension DNSServer.Configuration {
    /// The `nameserver` addresses of resolv.conf text, on `port`, without loopback ones.
    ///
    /// Loopback resolvers (systemd-resolved's 127.0.0.53, a local dnsmasq) are left out: the
    /// server may run in a network namespace of its own where the host's loopback is not
    /// reachable, and a loopback entry could be this server itself, which would forward to
    /// itself forever. Unparsable addresses (scoped IPv6 ones among them) are left out too.
    public static func upstreams(resolvConf: String, port: Int = 53) -> [SocketAddress] {
        var upstreams: [SocketAddress] = []
        for line in resolvConf.split(whereSeparator: \.isNewline) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, fields[0] == "nameserver",
                  let address = try? SocketAddress(ipAddress: String(fields[1]), port: port),
                  !isLoopback(address), !upstreams.contains(address)
            else { continue }
            upstreams.append(address)
        }
        return upstreams
    }

    /// ``upstreams(resolvConf:port:)`` of the file at `path`; none if it cannot be read.
    public static func upstreams(resolvConfAt path: String) -> [SocketAddress] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return upstreams(resolvConf: text)
    }

    private static func isLoopback(_ address: SocketAddress) -> Bool {
        switch address {
        case .v4(let v4):
            return UInt32(bigEndian: v4.address.sin_addr.s_addr) >> 24 == 127
        case .v6:
            return address.ipAddress == "::1"
        default:
            return false
        }
    }
}
