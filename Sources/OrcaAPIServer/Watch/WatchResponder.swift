import Foundation
import Hummingbird
import OrcaAPI
import Synchronization

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
            let outbox = LineOutbox()
            for object in initial {
                outbox.append(line(WatchEvent(type: .added, object: object, revision: 0)))
            }
            // Events and the timeout feed one outbox; this task only writes, so the writer
            // (which cannot be shared between tasks) stays here.
            let pump = Task {
                do {
                    for try await event in events {
                        outbox.append(line(event))
                    }
                } catch is CancellationError {
                } catch let error as APIError {
                    outbox.append(errorLine(error))
                } catch {
                    outbox.append(errorLine(APIError(.gone, "the watch ended: \(error); list again")))
                }
                outbox.finish()
            }
            let timer = Task {
                try? await Task.sleep(for: timeout)
                outbox.finish()
            }
            defer {
                pump.cancel()
                timer.cancel()
            }
            do {
                try await request.body.consumeWithCancellationOnInboundClose { _ in
                    // Every line queued while the last write was in progress goes in the next write.
                    while let lines = await outbox.next() {
                        try await writer.write(lines)
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

/// The lines of one watch waiting to be written, handed to the writer all at once: a busy watch
/// writes many events per write (and per chunk) instead of one.
final class LineOutbox: Sendable {
    private struct State {
        var pending = ByteBuffer()
        var finished = false
        var waiter: CheckedContinuation<ByteBuffer?, Never>?
    }

    private let state = Mutex(State())

    /// Queues `line` (dropped once finished).
    func append(_ line: Data) {
        let woken = state.withLock { state -> (CheckedContinuation<ByteBuffer?, Never>, ByteBuffer)? in
            guard !state.finished else { return nil }
            state.pending.writeBytes(line)
            guard let waiter = state.waiter else { return nil }
            state.waiter = nil
            defer { state.pending = ByteBuffer() }
            return (waiter, state.pending)
        }
        if let (waiter, lines) = woken { waiter.resume(returning: lines) }
    }

    /// No more lines: ``next()`` returns what is queued, then nil.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<ByteBuffer?, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Everything queued since the last call, waiting for at least one line; nil once finished
    /// (or when the calling task is cancelled).
    func next() async -> ByteBuffer? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<ByteBuffer?, Never>) in
                let ready = state.withLock { state -> ByteBuffer?? in
                    if state.pending.readableBytes > 0 {
                        defer { state.pending = ByteBuffer() }
                        return .some(state.pending)
                    }
                    if state.finished || Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            finish()
        }
    }
}
