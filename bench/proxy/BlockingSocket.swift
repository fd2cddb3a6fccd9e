import Glibc

/// A plain blocking TCP socket for the load generator: one thread per connection, no event loop,
/// so the client side costs the same on both paths and adds no scheduling of its own.
struct BlockingSocket: ~Copyable {
    let fd: Int32

    init(host: String, port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket", errno) }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            close(fd)
            throw SocketError("inet_pton \(host)", EINVAL)
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let error = errno
            close(fd)
            throw SocketError("connect \(host):\(port)", error)
        }
    }

    deinit { close(fd) }

    func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw SocketError("send", errno) }
            offset += n
        }
    }

    /// Reads exactly `count` bytes into `buffer` (reused; only its first bytes are written).
    func readExactly(_ count: Int, into buffer: UnsafeMutableRawBufferPointer) throws {
        var remaining = count
        while remaining > 0 {
            let n = recv(fd, buffer.baseAddress!, min(remaining, buffer.count), 0)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw SocketError(n == 0 ? "recv: connection closed" : "recv", n == 0 ? 0 : errno) }
            remaining -= n
        }
    }
}

struct SocketError: Error, CustomStringConvertible {
    var call: String
    var code: Int32
    init(_ call: String, _ code: Int32) {
        self.call = call
        self.code = code
    }

    var description: String { code == 0 ? call : "\(call): \(String(cString: strerror(code)))" }
}
