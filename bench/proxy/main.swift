import Foundation
import Logging
import NIOPosix
import OrcaProxy

// bench-proxy: the service proxy against a direct connection, in the same run (README.md).
let options: Options
do {
    options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("bench-proxy: \(error)\n".utf8))
    exit(2)
}

let serviceIP = "127.82.0.1"
let servicePort = 20500
var report = Report(machine: Machine.describe(), loadBefore: loadAverage(), options: options)

if !options.skipTraffic {
    let backend = try await Backend.start(host: "127.0.0.3", threads: 1,
                                          largestAnswer: max(options.transferBytes, options.messageBytes, 16))
    var logger = Logger(label: "bench.proxy")
    logger.logLevel = .error
    let proxyGroup = options.proxyThreads.map { MultiThreadedEventLoopGroup(numberOfThreads: $0) }
    let proxy = ServiceProxy(group: proxyGroup ?? ServiceProxy.defaultGroup,
                             configuration: options.proxyConfiguration, logger: logger)
    let applied = await proxy.apply([ProxyRule(
        name: "bench", serviceIP: serviceIP, port: servicePort,
        endpoints: [.init(ip: "127.0.0.3", port: backend.port)])])
    guard applied.isComplete else {
        FileHandle.standardError.write(Data("bench-proxy: cannot listen on \(serviceIP):\(servicePort)\n".utf8))
        exit(1)
    }
    let direct = Target(host: "127.0.0.3", port: backend.port)
    let proxied = Target(host: serviceIP, port: servicePort)
    let s = options.seconds

    // Warm both paths (connection setup, buffer sizing) before measuring.
    _ = requests(direct, connections: 2, bytes: options.messageBytes, seconds: 0.5)
    _ = requests(proxied, connections: 2, bytes: options.messageBytes, seconds: 0.5)

    for round in 1...options.rounds {
        print("round \(round)/\(options.rounds) (load \(loadAverage()))")
        let (transfer, message) = (options.transferBytes, options.messageBytes)
        report.bulk.add(direct: bulk(direct, connections: options.bulkConnections, bytes: transfer, seconds: s),
                        proxy: bulk(proxied, connections: options.bulkConnections, bytes: transfer, seconds: s))
        report.latency.add(direct: requests(direct, connections: 1, bytes: message, seconds: s),
                           proxy: requests(proxied, connections: 1, bytes: message, seconds: s))
        report.rate.add(direct: requests(direct, connections: options.rateConnections, bytes: message, seconds: s),
                        proxy: requests(proxied, connections: options.rateConnections, bytes: message, seconds: s))
        report.connectEach.add(
            direct: requests(direct, connections: 1, bytes: options.messageBytes, seconds: s, newConnectionEach: true),
            proxy: requests(proxied, connections: 1, bytes: options.messageBytes, seconds: s, newConnectionEach: true))
    }
    await proxy.shutdown()
    try? await proxyGroup?.shutdownGracefully()
    await backend.stop()
}

if !options.skipReconcile {
    report.reconcile = await reconcile(services: options.services, endpoints: options.endpointsPerService,
                                       coalesceDelayMs: 50)
}

report.loadAfter = loadAverage()
print(report.table())
let path = options.json ?? (FileManager.default.fileExists(atPath: "bench/results")
    ? "bench/results/proxy.json" : "/tmp/bench-proxy.json")
do {
    try report.write(to: path)
    print("results written to \(path)")
} catch {
    FileHandle.standardError.write(Data("bench-proxy: cannot write \(path): \(error)\n".utf8))
    exit(1)
}
