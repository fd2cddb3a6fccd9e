import BenchSupport
import Foundation
import Synchronization

/// Runs `body(i)` on `count` threads of their own at once and returns their results in order.
func onThreads<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
    let results = Mutex<[Int: T]>([:])
    let done = DispatchGroup()
    for i in 0..<count {
        done.enter()
        let thread = Thread {
            let value = body(i)
            results.withLock { $0[i] = value }
            done.leave()
        }
        thread.start()
    }
    done.wait()
    return results.withLock { all in (0..<count).compactMap { all[$0] } }
}

/// One measured phase against one address.
struct Target: Sendable {
    var host: String
    var port: Int
}

/// Throughput of back-to-back transfers of `bytes` over `connections` persistent connections.
struct BulkResult: Codable, Sendable {
    var transfers: Int
    var seconds: Double
    var mibPerSecond: Double
    var perTransfer: Latency
    var errors: Int
}

func bulk(_ target: Target, connections: Int, bytes: Int, seconds: Double) -> BulkResult {
    let deadline = Nanos.now() + UInt64(seconds * 1e9)
    let start = Nanos.now()
    // A request is a 16-byte header (request bytes that follow it: none; bytes to answer).
    var header = [UInt8](repeating: 0, count: 16)
    header.withUnsafeMutableBytes { $0.storeBytes(of: UInt64(bytes).bigEndian, toByteOffset: 8, as: UInt64.self) }
    let request = header
    let perThread = onThreads(connections) { _ in
        timedExchanges(target, request: request, answerBytes: bytes, readSize: 256 * 1024, until: deadline,
                       newConnectionEach: false)
    }
    let elapsed = Double(Nanos.now() - start) / 1e9
    let times = perThread.flatMap(\.0)
    let moved = Double(times.count) * Double(bytes) / Double(1 << 20)
    return BulkResult(transfers: times.count, seconds: elapsed, mibPerSecond: moved / elapsed,
                      perTransfer: Latency(times), errors: perThread.map(\.1).reduce(0, +))
}

/// Small request/responses: `connections` persistent connections, each sending the next request
/// as soon as the answer to the last is in.
struct RequestResult: Codable, Sendable {
    var requests: Int
    var seconds: Double
    var perSecond: Double
    var latency: Latency
    var errors: Int
}

func requests(_ target: Target, connections: Int, bytes: Int, seconds: Double, newConnectionEach: Bool = false)
    -> RequestResult {
    let deadline = Nanos.now() + UInt64(seconds * 1e9)
    let start = Nanos.now()
    let size = max(bytes, 16)
    var message = [UInt8](repeating: 0x62, count: size)
    message.withUnsafeMutableBytes { raw in
        raw.storeBytes(of: UInt64(size - 16).bigEndian, toByteOffset: 0, as: UInt64.self)
        raw.storeBytes(of: UInt64(size).bigEndian, toByteOffset: 8, as: UInt64.self)
    }
    let request = message
    let perThread = onThreads(connections) { _ in
        timedExchanges(target, request: request, answerBytes: size, readSize: size, until: deadline,
                       newConnectionEach: newConnectionEach)
    }
    let elapsed = Double(Nanos.now() - start) / 1e9
    let times = perThread.flatMap(\.0)
    return RequestResult(requests: times.count, seconds: elapsed, perSecond: Double(times.count) / elapsed,
                         latency: Latency(times), errors: perThread.map(\.1).reduce(0, +))
}

/// Until `deadline`, sends `request` and reads an answer of exactly `answerBytes` (at most
/// `readSize` per read), timing each exchange (ns): on one connection kept open, or on a new
/// connection per exchange (the connect timed too). A failed connection counts an error and is
/// replaced after 10 ms.
private func timedExchanges(_ target: Target, request: [UInt8], answerBytes: Int, readSize: Int,
                            until deadline: UInt64, newConnectionEach: Bool) -> ([UInt64], Int) {
    var times: [UInt64] = []
    times.reserveCapacity(200_000)
    var errors = 0
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize, alignment: 16)
    defer { buffer.deallocate() }
    while Nanos.now() < deadline {
        do {
            if newConnectionEach {
                let t0 = Nanos.now()
                let socket = try BlockingSocket(host: target.host, port: target.port)
                try request.withUnsafeBytes { try socket.writeAll($0) }
                try socket.readExactly(answerBytes, into: buffer)
                times.append(Nanos.now() - t0)
                continue
            }
            let socket = try BlockingSocket(host: target.host, port: target.port)
            while Nanos.now() < deadline {
                let t0 = Nanos.now()
                try request.withUnsafeBytes { try socket.writeAll($0) }
                try socket.readExactly(answerBytes, into: buffer)
                times.append(Nanos.now() - t0)
            }
        } catch {
            errors += 1
            usleep(10_000)
        }
    }
    return (times, errors)
}
