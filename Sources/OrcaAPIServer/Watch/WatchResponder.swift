import Foundation
import Hummingbird
import OrcaAPI

/// Streams watch events as newline-delimited JSON over a chunked response (each line given by
/// `line`/`errorLine`, newline included).
///
/// The stream ends when the client goes away (the inbound side closes), when `timeout`
/// passes, or when the store ends the watch (a watcher too slow to keep up gets an ERROR
/// line with 410 Expired, so it re-lists, as Kubernetes clients do).
enum WatchResponder {
    static func response<T: APIObject, Events: AsyncSequence & Sendable>(
        request: Request,
        initial: [T],
        events: Events,
        timeout: Duration,
        line: @escaping @Sendable (WatchEvent<T>) -> Data,
        errorLine: @escaping @Sendable (APIError) -> Data
    ) -> Response where Events.Element == WatchEvent<T> {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-cache, private"
        let body = ResponseBody { writer in
            let (lines, continuation) = AsyncStream<Data>.makeStream(bufferingPolicy: .unbounded)
            for object in initial {
                continuation.yield(line(WatchEvent(type: .added, object: object, revision: 0)))
            }
            // Events and the timeout feed one stream; this task only writes, so the writer
            // (which cannot be shared between tasks) stays here.
            let pump = Task {
                do {
                    for try await event in events {
                        continuation.yield(line(event))
                    }
                } catch is CancellationError {
                } catch let error as APIError {
                    continuation.yield(errorLine(error))
                } catch {
                    continuation.yield(errorLine(APIError(.gone, "the watch ended: \(error); list again")))
                }
                continuation.finish()
            }
            let timer = Task {
                try? await Task.sleep(for: timeout)
                continuation.finish()
            }
            defer {
                pump.cancel()
                timer.cancel()
            }
            do {
                try await request.body.consumeWithCancellationOnInboundClose { _ in
                    for await data in lines {
                        try await writer.write(ByteBuffer(bytes: data))
                    }
                }
            } catch is CancellationError {
                return
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
