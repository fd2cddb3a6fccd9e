import Logging
import OrcaAPI
import OrcaClient
import Synchronization

/// One run of the ``ProxyController``: informer handlers mark the rules dirty; one task rebuilds
/// and applies them, never two at once.
final class ProxySyncLoop: Sendable {
    private struct State {
        /// Ticks (of `retryDelay`) until the next retry of a failed apply; nil: none pending.
        var retryIn: Int?
        var failures = 0
        var ticksSinceApply = 0
    }

    let services: Informer<Service>
    let endpoints: Informer<Endpoints>
    let proxy: ServiceProxy
    let addresses: any ServiceAddressManager
    let configuration: ProxyController.Configuration
    let clock: any Clock<Duration>
    let logger: Logger
    private let state = Mutex(State())
    /// At most one pending wake-up: a burst of changes while an apply runs makes one more apply.
    private let wakes: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init(informers: InformerFactory, proxy: ServiceProxy, addresses: any ServiceAddressManager,
         configuration: ProxyController.Configuration, clock: any Clock<Duration>, logger: Logger) {
        services = informers.informer(Service.self, namespace: configuration.namespace)
        endpoints = informers.informer(Endpoints.self, namespace: configuration.namespace)
        self.proxy = proxy
        self.addresses = addresses
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        (wakes, wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Runs until cancelled. The informers run elsewhere (their factory); this adds the handlers.
    func run() async {
        services.addHandlers(.enqueue { [wake] _ in wake.yield() })
        endpoints.addHandlers(.enqueue { [wake] _ in wake.yield() })
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.ticker() }
            group.addTask {
                await self.services.waitUntilSynced()
                await self.endpoints.waitUntilSynced()
                guard !Task.isCancelled else { return }
                await self.applyLoop()
            }
            await group.next()
            group.cancelAll()
        }
        wake.finish()
    }

    private func applyLoop() async {
        // The first apply needs no change: the caches are full now.
        wake.yield()
        for await _ in wakes {
            do {
                try await clock.sleep(for: configuration.coalesceDelay)
            } catch {
                return
            }
            let succeeded = await applyOnce()
            state.withLock { state in
                state.ticksSinceApply = 0
                if succeeded {
                    state.failures = 0
                    state.retryIn = nil
                } else {
                    state.failures += 1
                    state.retryIn = min(1 << min(state.failures - 1, 16), Self.maxRetryTicks(configuration))
                }
            }
        }
    }

    /// Rebuilds the rules from the caches and applies them; false when something must be retried.
    func applyOnce() async -> Bool {
        let rules = ProxyRule.rules(services: services.items, endpoints: endpoints.items)
        let ips = Set(rules.map(\.serviceIP))
        var succeeded = true
        do {
            try await addresses.add(ips)
        } catch {
            logger.warning("cannot add service addresses; retrying", metadata: ["error": "\(error)"])
            succeeded = false
        }
        let result = await proxy.apply(rules)
        if !result.failed.isEmpty { succeeded = false }
        do {
            try await addresses.removeAll(except: ips)
        } catch {
            logger.warning("cannot remove service addresses; retrying", metadata: ["error": "\(error)"])
            succeeded = false
        }
        return succeeded
    }

    /// Wakes the apply loop for retries and resyncs; ticks every `retryDelay`.
    private func ticker() async {
        let resyncTicks = max(1, Int(configuration.resyncPeriod / configuration.retryDelay))
        while !Task.isCancelled {
            do {
                try await clock.sleep(for: configuration.retryDelay)
            } catch {
                return
            }
            let due = state.withLock { state -> Bool in
                state.ticksSinceApply += 1
                if let retry = state.retryIn {
                    if retry <= 1 {
                        state.retryIn = nil
                        return true
                    }
                    state.retryIn = retry - 1
                }
                return state.ticksSinceApply >= resyncTicks
            }
            if due { wake.yield() }
        }
    }

    private static func maxRetryTicks(_ configuration: ProxyController.Configuration) -> Int {
        max(1, Int(configuration.maxRetryDelay / configuration.retryDelay))
    }
}
