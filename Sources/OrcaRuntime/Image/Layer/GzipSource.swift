import CZlib

/// Inflates a gzip (or zlib) stream with zlib, streaming.
///
/// windowBits 15 + 32 makes zlib detect the gzip or zlib header itself. Concatenated gzip
/// members (what `pigz` and some registries produce) are read one after another; bytes
/// after the last member that do not start a new one are ignored, as `gzip -d` does.
final class GzipSource: ByteSource {
    private let upstream: ByteSource
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var upstreamEnded = false
    private var finished = false

    init(_ upstream: ByteSource) throws {
        self.upstream = upstream
        // zlib keeps a pointer back to the z_stream: it must not move, hence the heap.
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = .allocate(byteCount: 64 << 10, alignment: 1)
        let rc = inflateInit2_(stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            stream.deallocate()
            input.deallocate()
            throw ImageError.invalidLayer("zlib init failed (\(rc))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let out = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while !finished {
            if stream.pointee.avail_in == 0 && !upstreamEnded { try refill() }
            stream.pointee.next_out = out.assumingMemoryBound(to: UInt8.self)
            stream.pointee.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
            let rc = inflate(stream, Z_NO_FLUSH)
            let produced = buffer.count - Int(stream.pointee.avail_out)
            switch rc {
            case Z_STREAM_END:
                try startNextMemberOrFinish()
            case Z_OK:
                break
            case Z_BUF_ERROR where stream.pointee.avail_in == 0 && !upstreamEnded:
                break
            case Z_BUF_ERROR:
                throw ImageError.invalidLayer("truncated gzip stream")
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "error \(rc)"
                throw ImageError.invalidLayer("gzip: \(message)")
            }
            if produced > 0 { return produced }
        }
        return 0
    }

    private func refill() throws {
        let n = try upstream.read(into: input)
        if n == 0 {
            upstreamEnded = true
            return
        }
        stream.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_in = UInt32(n)
    }

    private func startNextMemberOrFinish() throws {
        if stream.pointee.avail_in == 0 && !upstreamEnded { try refill() }
        guard stream.pointee.avail_in > 0, let next = stream.pointee.next_in, next.pointee == 0x1f else {
            finished = true
            return
        }
        guard inflateReset(stream) == Z_OK else { throw ImageError.invalidLayer("zlib reset failed") }
    }
}
