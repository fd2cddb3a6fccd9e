#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OrcaRuntime

#if canImport(Glibc)
import Glibc
#endif

/// Reads a container's log file: all of it, its last lines, or following it as it grows.
struct LogFile: Sendable {
    let path: String

    /// The whole file, or its last `tailLines` lines.
    func read(tailLines: Int?) throws -> Data {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return Data() }
        defer { close(fd) }
        guard let tailLines else { return try read(fd, from: 0, count: .max) }
        guard tailLines > 0 else { return Data() }
        // Read backwards in chunks until enough newlines are seen: a long log is not read whole.
        var offset = UInt64(max(lseek(fd, 0, SEEK_END), 0))
        var tail = Data()
        let chunk: UInt64 = 64 * 1024
        while offset > 0 {
            let start = offset > chunk ? offset - chunk : 0
            tail = try read(fd, from: start, count: Int(offset - start)) + tail
            offset = start
            // A trailing newline ends the last line; it does not start another.
            let newlines = tail.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } - (tail.last == 0x0A ? 1 : 0)
            if newlines >= tailLines { break }
        }
        var lines = tail.split(separator: 0x0A, omittingEmptySubsequences: false)
        if tail.last == 0x0A { lines.removeLast() }
        let kept = lines.suffix(tailLines)
        var out = Data(kept.joined(separator: [0x0A]))
        if !kept.isEmpty, tail.last == 0x0A { out.append(0x0A) }
        return out
    }

    /// Sends what is written after `offset` to `write`, polling, until `isFinished` says the
    /// writer is gone and everything has been sent, or `write` throws (the client left).
    func follow(from offset: UInt64, isFinished: @Sendable () -> Bool,
                write: (Data) async throws -> Void) async throws {
        var position = offset
        while true {
            let finished = isFinished()
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd >= 0 {
                let result = Result { try read(fd, from: position, count: .max) }
                close(fd)
                let data = try result.get()
                if !data.isEmpty {
                    position += UInt64(data.count)
                    try await write(data)
                }
            }
            if finished { return }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    var size: UInt64 {
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_size) : 0
    }

    /// Up to `count` bytes from `offset`, fewer at the end of the file.
    private func read(_ fd: Int32, from offset: UInt64, count: Int) throws -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: min(count, 64 * 1024))
        var position = off_t(offset)
        while data.count < count {
            let wanted = min(buffer.count, count - data.count)
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, wanted, position) }
            if n < 0 {
                if errno == EINTR { continue }
                throw RuntimeError.system("read \(path)", errno)
            }
            if n == 0 { break }
            data.append(contentsOf: buffer[..<n])
            position += off_t(n)
        }
        return data
    }
}
