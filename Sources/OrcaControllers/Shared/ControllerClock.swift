/// Monotonic time since the controller started, read from an injected clock as a plain
/// `Duration`, so pure code (expectations) can take "now" as a number and tests can pass one.
struct ControllerClock: Sendable {
    private let read: @Sendable () -> Duration

    init(_ clock: any Clock<Duration>) {
        read = Self.reader(clock)
    }

    private static func reader<C: Clock>(_ clock: C) -> @Sendable () -> Duration where C.Duration == Duration {
        let start = clock.now
        return { start.duration(to: clock.now) }
    }

    /// Time elapsed since this value was made.
    var now: Duration { read() }
}
