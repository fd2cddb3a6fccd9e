import BenchSupport
import Logging
import OrcaAPI
import OrcaProxy

/// How long the proxy takes to take in changes of many services: building the rules from Service
/// and Endpoints objects (what the controller does on every change) and applying them.
struct ReconcileResult: Codable, Sendable {
    var services: Int
    var endpointsPerService: Int
    /// The controller's wait after a change before it rebuilds (ProxyController.Configuration).
    var coalesceDelayMs: Double
    /// ProxyRule.rules(services:endpoints:) over every object, median of the repeats.
    var buildRulesMs: Double
    /// First apply: every listener opened.
    var openAllMs: Double
    /// Every service's endpoints replaced (all listeners swapped in place), median.
    var swapAllMs: Double
    /// One service's endpoints changed among all: rebuild everything + apply, median.
    var changeOneMs: Double
    /// change -> applied for one change: coalescing + build + apply (the goal's measure).
    var changeToAppliedMs: Double
    /// Every listener closed.
    var closeAllMs: Double
    var failedListeners: Int
}

func reconcile(services count: Int, endpoints perService: Int, coalesceDelayMs: Double) async -> ReconcileResult {
    var logger = Logger(label: "bench.proxy")
    logger.logLevel = .error
    let proxy = ServiceProxy(logger: logger)
    // Service i listens on 127.83.X.Y:20600; its endpoints are addresses nothing needs to serve.
    func objects(generation: Int, changing only: Int? = nil) -> ([Service], [Endpoints]) {
        var services: [Service] = []
        var endpoints: [Endpoints] = []
        for i in 0..<count {
            let name = "svc-\(i)"
            services.append(Service(
                metadata: ObjectMeta(name: name, namespace: "bench"),
                spec: ServiceSpec(ports: [ServicePort(name: "http", port: 20600, targetPort: .int(8080))],
                                  selector: ["app": name], clusterIP: "127.83.\(i / 250).\(i % 250 + 1)")))
            let g = (only == nil || only == i) ? generation : 0
            let addresses = (0..<perService).map { j in
                EndpointAddress(ip: "10.244.\((i + g) % 250).\(j + 1)")
            }
            endpoints.append(Endpoints(metadata: ObjectMeta(name: name, namespace: "bench"), subsets: [
                EndpointSubset(addresses: addresses, ports: [EndpointPort(name: "http", port: 8080)]),
            ]))
        }
        return (services, endpoints)
    }
    func ms(_ since: UInt64) -> Double { Double(Nanos.now() - since) / 1e6 }
    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    var failed = 0
    let (services0, endpoints0) = objects(generation: 0)
    var t = Nanos.now()
    let rules0 = ProxyRule.rules(services: services0, endpoints: endpoints0)
    var builds = [ms(t)]
    t = Nanos.now()
    failed += await proxy.apply(rules0).failed.count
    let openAll = ms(t)

    var swaps: [Double] = []
    var ones: [Double] = []
    for generation in 1...5 {
        let (services, endpoints) = objects(generation: generation)
        t = Nanos.now()
        let rules = ProxyRule.rules(services: services, endpoints: endpoints)
        builds.append(ms(t))
        t = Nanos.now()
        failed += await proxy.apply(rules).failed.count
        swaps.append(ms(t))

        let (services1, endpoints1) = objects(generation: generation + 10, changing: generation)
        t = Nanos.now()
        let changed = ProxyRule.rules(services: services1, endpoints: endpoints1)
        failed += await proxy.apply(changed).failed.count
        ones.append(ms(t))
    }
    t = Nanos.now()
    await proxy.apply([])
    let closeAll = ms(t)
    await proxy.shutdown()
    return ReconcileResult(
        services: count, endpointsPerService: perService, coalesceDelayMs: coalesceDelayMs,
        buildRulesMs: median(builds), openAllMs: openAll, swapAllMs: median(swaps), changeOneMs: median(ones),
        changeToAppliedMs: coalesceDelayMs + median(ones), closeAllMs: closeAll, failedListeners: failed)
}
