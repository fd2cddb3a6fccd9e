import ArgumentParser

/// `HOST:PORT` from the command line.
public enum HostPort {
    /// `ports` is the range allowed (a kubelet may ask for port 0, any free one).
    public static func parse(_ text: String, option: String, ports: ClosedRange<Int> = 1...65535) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              ports.contains(port) else {
            throw ValidationError("\(option): \"\(text)\" is not HOST:PORT, such as 127.0.0.1:8080")
        }
        let host = String(text[..<colon])
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }
}
