import OrcaAPI

/// `-p` of `run`: `[hostPort:]containerPort,...`, as `8080:80,443`.
public enum PortSpec {
    /// The container ports `spec` lists (TCP); empty text gives none.
    public static func parse(_ spec: String) throws(UsageError) -> [ContainerPort] {
        guard !spec.isEmpty else { return [] }
        var ports: [ContainerPort] = []
        for part in spec.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            guard (1...2).contains(pieces.count), let container = port(pieces.last!) else {
                throw UsageError("invalid port spec \"\(part)\" in -p \(spec): want [hostPort:]containerPort, "
                    + "each from 1 to 65535")
            }
            var hostPort: Int?
            if pieces.count == 2 {
                guard let host = port(pieces[0]) else {
                    throw UsageError("invalid port spec \"\(part)\" in -p \(spec): want [hostPort:]containerPort, "
                        + "each from 1 to 65535")
                }
                hostPort = host
            }
            ports.append(ContainerPort(containerPort: container, hostPort: hostPort, protocol: .tcp))
        }
        return ports
    }

    private static func port(_ text: Substring) -> Int? {
        guard let n = Int(text), (1...65535).contains(n) else { return nil }
        return n
    }
}
