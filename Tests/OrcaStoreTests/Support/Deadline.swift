import OrcaStore
import Testing

typealias EventStream = AsyncThrowingStream<StoreEvent, any Error>

/// A wait that did not end in time; says what was awaited.
struct DeadlineExceeded: Error, CustomStringConvertible {
    let description: String
}

/// How a watch stream ended.
struct StreamEnd: Sendable {
    /// Events received before the end.
    var events: [StoreEvent]
    /// The error the stream failed with, or nil if it finished normally.
    var error: (any Error)?
}

/// Awaits `body`, failing with "timed out waiting for `what`" if it has not returned by `timeout`.
/// The timeout only bounds a broken test; passing tests never wait for it.
func withDeadline<T: Sendable>(
    _ what: String,
    timeout: Duration = .seconds(60),
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw DeadlineExceeded(description: "timed out after \(timeout) waiting for \(what)")
        }
        return value
    }
}

/// The next `count` events of `stream`; fails if the stream ends first or they do not come in time.
func next(_ count: Int, of stream: EventStream, _ what: String) async throws -> [StoreEvent] {
    try await withDeadline("\(count) \(what)") {
        var events: [StoreEvent] = []
        var iterator = stream.makeAsyncIterator()
        while events.count < count {
            guard let event = try await iterator.next() else {
                throw DeadlineExceeded(description: "stream ended after \(events.count) of \(count) \(what)")
            }
            events.append(event)
        }
        return events
    }
}

/// Everything `stream` still delivers until it ends, and how it ends.
func end(of stream: EventStream, _ what: String) async throws -> StreamEnd {
    try await withDeadline("the end of \(what)") {
        var events: [StoreEvent] = []
        var iterator = stream.makeAsyncIterator()
        do {
            while let event = try await iterator.next() { events.append(event) }
            return StreamEnd(events: events, error: nil)
        } catch {
            return StreamEnd(events: events, error: error)
        }
    }
}
