import Foundation

/// Reads a container's log file: all of it, its last lines, or following it as it grows.
struct LogFile: Sendable {
    let path: String

    /// The whole file, or its last `tailLines` lines.
    func read(tailLines: Int?) throws -> Data {
        guard let handle = FileHandle(forReadingAtPath: path) else { return Data() }
        defer { try? handle.close() }
        guard let tailLines else { return try handle.readToEnd() ?? Data() }
        guard tailLines > 0 else { return Data() }
        // Read backwards in chunks until enough newlines are seen: a long log is not read whole.
        let size = try handle.seekToEnd()
        var offset = size
        var tail = Data()
        let chunk: UInt64 = 64 * 1024
        while offset > 0 {
            let start = offset > chunk ? offset - chunk : 0
            try handle.seek(toOffset: start)
            let data = try handle.read(upToCount: Int(offset - start)) ?? Data()
            tail = data + tail
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
            if let handle = FileHandle(forReadingAtPath: path) {
                try handle.seek(toOffset: position)
                let data = try handle.readToEnd() ?? Data()
                try? handle.close()
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
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.uint64Value ?? 0
    }
}
