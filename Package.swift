// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "orca",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "orca", targets: ["orca"]),
        .executable(name: "orca-minion", targets: ["orca-minion"]),
        .executable(name: "kubecfg", targets: ["kubecfg"]),
    ],
    dependencies: [
        // Without the default trait FullFoundation (URL-encoded form dates through Foundation's DateFormatter,
        // unused here), Hummingbird links FoundationEssentials only, so orca-minion's log server maps no
        // libFoundation.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1",
                 traits: ["ConfigurationSupport"]),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // Leaf: value types, validation, selectors, v1 <-> v1beta1 conversion. No NIO, no Foundation (only
        // FoundationEssentials), no YAML: the minion links it.
        .target(name: "OrcaAPI", dependencies: ["OrcaText"]),
        // String helpers FoundationEssentials lacks (trimming white space), for the modules the minion links.
        .target(name: "OrcaText"),
        // JSON or YAML manifests as untyped objects (request bodies, merge patches, kubecfg -c files): for the
        // master and kubecfg, which may link Foundation and Yams.
        .target(name: "OrcaManifest", dependencies: ["OrcaAPI", .product(name: "Yams", package: "Yams")]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "OrcaStore", dependencies: [
            "OrcaAPI", "CSQLite",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "OrcaAPIServer", dependencies: [
            "OrcaAPI", "OrcaManifest", "OrcaStore",
            .product(name: "Hummingbird", package: "hummingbird"),
            // Only to proxy container logs from the kubelets.
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .target(name: "OrcaClient", dependencies: [
            "OrcaAPI", "OrcaText",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "OrcaScheduler", dependencies: [
            "OrcaAPI", "OrcaClient",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .target(name: "OrcaControllers", dependencies: [
            "OrcaAPI", "OrcaClient",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The master's control loops assembled: what `orca master` runs beside the API server.
        .target(name: "OrcaMaster", dependencies: [
            "OrcaClient", "OrcaScheduler", "OrcaControllers",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // Fakes and fixtures for tests and benchmarks: hollow minions, an in-process cluster.
        .target(name: "OrcaTesting", dependencies: [
            "OrcaAPI", "OrcaClient", "OrcaAPIServer", "OrcaStore", "OrcaScheduler", "OrcaControllers", "OrcaMaster",
            "OrcaRuntime",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The node's machinery, knowing nothing of pods: processes and their one reaper, OCI images
        // (content store, registry pulls, archive import), runc containers, CNI network sandboxes.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "CRuntimeShims"),
        .target(name: "OrcaRuntime", dependencies: [
            "CZlib", "CRuntimeShims", "OrcaText",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Pods bound to this minion -> sandboxes, volumes, images, containers; status back to the master.
        .target(name: "OrcaKubelet", dependencies: [
            "OrcaAPI", "OrcaClient", "OrcaRuntime",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // Services on a minion: the load-balancing proxy on the service IPs and the DNS server.
        .target(name: "OrcaProxy", dependencies: [
            "OrcaAPI", "OrcaClient",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // `orca up`: a master, a registry and minions in network namespaces on one machine.
        .target(name: "OrcaLocal", dependencies: [
            "OrcaAPI", "OrcaClient", "OrcaRuntime",
            // The kubeconfig it writes and merges.
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "OrcaCLI", dependencies: [
            "OrcaAPI", "OrcaManifest", "OrcaClient",
            .product(name: "Yams", package: "Yams"),
        ]),
        // What the daemons' commands share (--log-level, HOST:PORT), for orca and orca-minion.
        .target(name: "OrcaDaemon", dependencies: [
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // `orca minion` execs it: the kubelet, service proxy and DNS without the master's code or Foundation.
        .executableTarget(name: "orca-minion", dependencies: [
            "OrcaAPI", "OrcaClient", "OrcaDaemon", "OrcaKubelet", "OrcaRuntime", "OrcaProxy",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], linkerSettings: [
            // The Swift runtime and FoundationEssentials linked in, at a fixed address (no PIE), exporting no
            // symbols: no relocations to apply at start and no symbol tables to page in, ~5 MB less resident
            // (docs/kubelet.md). lld, which also keeps glibc's mktemp notice out of the build. The static
            // FoundationEssentials needs its two helper libraries named (the modules were compiled for the shared one).
            .unsafeFlags(["-static-stdlib", "-use-ld=lld", "-Xclang-linker", "-no-pie", "-Xlinker", "--no-export-dynamic",
                          "-l_FoundationCollections", "-l_FoundationCShims"]),
        ]),
        .executableTarget(name: "orca", dependencies: [
            "OrcaAPIServer", "OrcaStore", "OrcaClient", "OrcaMaster", "OrcaTesting", "OrcaRuntime", "OrcaDaemon",
            "OrcaLocal",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "kubecfg", dependencies: ["OrcaCLI"]),
        // What the benchmarks share: monotonic time, latency distributions, errors, goals.
        .target(name: "BenchSupport", path: "bench/Support"),
        // Whole-system benchmark of the API server (bench/api/README.md).
        .executableTarget(name: "bench-api", dependencies: [
            "BenchSupport", "OrcaAPI", "CSQLite",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
        ], path: "bench/api", exclude: ["README.md", "run"]),
        // Scheduling end to end onto hollow minions, and minion loss (bench/scheduler/README.md).
        .executableTarget(name: "bench-scheduler", dependencies: [
            "BenchSupport", "OrcaAPI", "OrcaClient",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ], path: "bench/scheduler", exclude: ["README.md", "run"]),
        // Pod startup on a real minion, with raw `runc run` as the floor (bench/podstartup/README.md).
        .executableTarget(name: "bench-podstartup", dependencies: [
            "BenchSupport", "OrcaAPI", "OrcaClient", "OrcaRuntime", "OrcaTesting",
        ], path: "bench/podstartup", exclude: ["README.md", "run"]),
        // The service proxy against a direct connection, and reconcile of many services (bench/proxy/README.md).
        .executableTarget(name: "bench-proxy", dependencies: [
            "BenchSupport", "OrcaProxy", "OrcaAPI",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], path: "bench/proxy", exclude: ["README.md", "run"]),
        // In-process decision rate of the scheduler (Benchmarks/SchedulerDecision/README.md).
        .executableTarget(name: "bench-scheduler-decision", dependencies: ["OrcaScheduler", "OrcaAPI"],
                          path: "Benchmarks/SchedulerDecision", exclude: ["README.md"]),
        .testTarget(name: "OrcaAPITests", dependencies: ["OrcaAPI", "OrcaManifest", "OrcaTesting"], resources: [.copy("Fixtures")]),
        .testTarget(name: "OrcaManifestTests", dependencies: ["OrcaManifest", "OrcaAPI"]),
        .testTarget(name: "OrcaStoreTests", dependencies: ["OrcaStore", "OrcaTesting"]),
        .testTarget(name: "OrcaAPIServerTests", dependencies: [
            "OrcaAPIServer", "OrcaStore", "OrcaAPI", "OrcaClient", "OrcaTesting", "OrcaRuntime",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "OrcaClientTests", dependencies: [
            "OrcaClient", "OrcaAPI", "OrcaAPIServer", "OrcaStore", "OrcaTesting",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "OrcaSchedulerTests", dependencies: ["OrcaScheduler", "OrcaAPI", "OrcaClient", "OrcaTesting"]),
        .testTarget(name: "OrcaControllersTests", dependencies: ["OrcaControllers", "OrcaAPI", "OrcaTesting"]),
        .testTarget(name: "OrcaClusterTests", dependencies: [
            "OrcaTesting", "OrcaAPI", "OrcaClient", "OrcaScheduler", "OrcaControllers", "OrcaRuntime",
        ]),
        .testTarget(name: "OrcaRuntimeTests", dependencies: ["OrcaRuntime", "OrcaTesting"]),
        .testTarget(name: "OrcaKubeletTests", dependencies: [
            "OrcaKubelet", "OrcaRuntime", "OrcaAPI", "OrcaClient", "OrcaTesting",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        .testTarget(name: "OrcaProxyTests", dependencies: [
            "OrcaProxy", "OrcaAPI", "OrcaClient", "OrcaTesting", "OrcaRuntime",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "OrcaLocalTests", dependencies: ["OrcaLocal", "OrcaAPI", "OrcaClient", "OrcaRuntime", "OrcaTesting"]),
        .testTarget(name: "OrcaCLITests", dependencies: ["OrcaCLI", "OrcaManifest", "OrcaClient", "OrcaAPI", "OrcaTesting", "OrcaRuntime"]),
    ],
    swiftLanguageModes: [.v6]
)
