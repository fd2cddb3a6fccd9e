import Logging
import OrcaAPI
import Synchronization

/// Hands out one shared ``Informer`` per kind and filter, so the control loops of one process
/// watch, decode and cache each object once between them (client-go's shared informer factory).
///
/// ```
///  scheduler ─┐                      ┌─ Informer<Pod>  ── one list+watch of pods ──▶ master
///  replication├─ informer(Pod.self) ─┤
///  endpoints ─┤                      └─ Informer<Node> ── one list+watch of nodes ─▶ master
///  lifecycle ─┘
/// ```
///
/// Loops ask for informers with ``informer(_:namespace:labelSelector:fieldSelector:)`` (the same
/// arguments give the same informer), add their handlers, and wait for the informer to sync; they
/// never call the informer's `run()`. ``run()`` runs every informer made, also those made after it
/// started. A consumer that wants every object handed to it again now and then runs
/// ``Informer/resync(every:calling:)`` with its own handlers and period; the shared informers
/// themselves never resync.
public final class InformerFactory: Sendable {
    private struct State {
        var informers: [String: any Sendable] = [:]
    }

    public let client: OrcaClient
    private let clock: any Clock<Duration>
    private let logger: Logger
    private let state = Mutex(State())
    /// Runs of informers made and not yet started; ``run()`` starts them.
    private let runs: AsyncStream<@Sendable () async -> Void>
    private let newRuns: AsyncStream<@Sendable () async -> Void>.Continuation

    public init(client: OrcaClient, clock: any Clock<Duration> = ContinuousClock(),
                logger: Logger = Logger(label: "orca.informer")) {
        self.client = client
        self.clock = clock
        self.logger = logger
        (runs, newRuns) = AsyncStream.makeStream()
    }

    /// The shared informer of `type` with these filters, made on first use (it starts when
    /// ``run()`` runs). Handlers added to it run on the informer's task, one event at a time for
    /// every consumer, so they must only do bookkeeping and enqueue keys.
    public func informer<T: APIObject>(_ type: T.Type, namespace: String? = nil, labelSelector: String? = nil,
                                       fieldSelector: String? = nil) -> Informer<T> {
        let key = [T.kind, namespace ?? "", labelSelector ?? "", fieldSelector ?? ""].joined(separator: "\u{1F}")
        let (informer, made) = state.withLock { state -> (Informer<T>, Bool) in
            if let existing = state.informers[key] as? Informer<T> { return (existing, false) }
            let configuration = Informer<T>.Configuration(
                namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector)
            let informer = Informer<T>(client: client, configuration: configuration, clock: clock, logger: logger)
            state.informers[key] = informer
            return (informer, true)
        }
        if made { newRuns.yield { await informer.run() } }
        return informer
    }

    /// Runs every informer this factory made or makes, until the calling task is cancelled.
    /// Call it once.
    public func run() async {
        await withDiscardingTaskGroup { group in
            for await run in runs {
                group.addTask { await run() }
            }
        }
    }
}

extension InformerFactory {
    /// Runs `body` with `shared` when given; otherwise with a factory of its own that runs beside
    /// `body` and stops when `body` returns. For a loop that can run alone or share informers.
    public static func using(
        _ shared: InformerFactory?, client: OrcaClient, clock: any Clock<Duration>, logger: Logger,
        _ body: @escaping @Sendable (InformerFactory) async -> Void
    ) async {
        if let shared {
            await body(shared)
            return
        }
        let own = InformerFactory(client: client, clock: clock, logger: logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await own.run() }
            group.addTask { await body(own) }
            // The body returns on cancellation (or when done); then the informers stop.
            await group.next()
            group.cancelAll()
        }
    }
}
