import BenchSupport
import Foundation
import OrcaRuntime
import OrcaTesting

/// The floor: raw `runc run --detach` of the same busybox image, with no API, kubelet or CNI,
/// through ``RuncRuntime`` (the same config.json and flags the kubelet uses; a fresh network
/// namespace of runc's own instead of a CNI sandbox). Each container gets its own overlay
/// rootfs over the image's layers, made (and timed) before the runs.
struct RuncFloor {
    struct Result: Codable, Sendable {
        var containers: Int
        var gate: LoadGate
        /// One overlay mount per container (``Rootfs/make(for:at:mode:)``), one after the other.
        var rootfsMake: Distribution
        var rootfsKind: String
        /// `runc run -d` (create + start, until runc exits) one after the other.
        var sequential: Distribution
        /// All at once: each run's own duration, and the first start -> last exit.
        var burst: Distribution
        var burstMakespanMs: Double
        var sequentialSamplesMs: [Double]
    }

    let options: Options
    let log: @Sendable (String) -> Void

    func run() async throws -> Result {
        let tag = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orca-bench-floor-\(tag)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let runtime = try RuncRuntime(stateRoot: directory.appendingPathComponent("runc").path,
                                      bundleRoot: directory.appendingPathComponent("bundles").path)
        let cgroupParent = "/orca-bench-\(tag)"
        var rootfses: [URL] = []
        var ids: [String] = []
        do {
            let image = try await loadImage(into: directory.appendingPathComponent("images"))
            let gate = await LoadGate.wait(maxLoad: options.maxLoad, limit: options.loadWaitSeconds, log: log)
            log("floor: \(options.pods) x 2 runc containers, \(gate.summary)")
            var rootfsTimes: [UInt64] = []
            var kind = ""
            for index in 0..<(2 * options.pods) {
                let path = directory.appendingPathComponent("rootfs/c\(index)")
                let start = Nanos.now()
                let rootfs = try Rootfs.make(for: image, at: path)
                if index < options.pods { rootfsTimes.append(Nanos.now() - start) }
                kind = rootfs.kind.rawValue
                rootfses.append(path)
            }
            func makeConfig(_ index: Int) -> ContainerConfig {
                let id = "orca-bench-\(tag)-\(index)"
                return ContainerConfig(
                    id: id, rootfs: rootfses[index].path, arguments: ["/bin/sh", "-c", "sleep 3600"],
                    hostname: id, cgroupPath: "\(cgroupParent)/c\(index)",
                    logPath: directory.appendingPathComponent("c\(index).log").path)
            }
            var sequential: [UInt64] = []
            for index in 0..<options.pods {
                let config = makeConfig(index)
                ids.append(config.id)
                let start = Nanos.now()
                try await runtime.run(config)
                sequential.append(Nanos.now() - start)
            }
            let burstStart = Nanos.now()
            let burst = try await withThrowingTaskGroup(of: UInt64.self) { group in
                for index in options.pods..<(2 * options.pods) {
                    let config = makeConfig(index)
                    ids.append(config.id)
                    group.addTask {
                        let start = Nanos.now()
                        try await runtime.run(config)
                        return Nanos.now() - start
                    }
                }
                return try await group.reduce(into: [UInt64]()) { $0.append($1) }
            }
            let makespan = Nanos.now() - burstStart
            await remove(ids, rootfses, runtime: runtime, cgroupParent: cgroupParent, directory: directory)
            return Result(containers: options.pods, gate: gate, rootfsMake: Distribution(nanos: rootfsTimes),
                          rootfsKind: kind, sequential: Distribution(nanos: sequential),
                          burst: Distribution(nanos: burst), burstMakespanMs: Nanos.milliseconds(makespan),
                          sequentialSamplesMs: sequential.map { Nanos.milliseconds($0) })
        } catch {
            await remove(ids, rootfses, runtime: runtime, cgroupParent: cgroupParent, directory: directory)
            throw error
        }
    }

    /// The busybox test image as the minion gets it (MinionFixture loads the same `docker save` archive).
    private func loadImage(into root: URL) async throws -> Image {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let archive = root.deletingLastPathComponent().appendingPathComponent("busybox.tar")
        try await TestImages.dockerArchive(tag: TestImages.latest, name: "busybox:latest", at: archive)
        let store = try ImageStore(root: root)
        _ = try await store.load(archive: archive)
        try? FileManager.default.removeItem(at: archive)
        guard let image = try await store.image("busybox:latest") else {
            throw BenchError("busybox:latest is not in the store after loading it")
        }
        return image
    }

    /// Every container, rootfs, cgroup and file of the floor, whatever happened.
    private func remove(_ ids: [String], _ rootfses: [URL], runtime: RuncRuntime, cgroupParent: String,
                        directory: URL) async {
        await withTaskGroup(of: Void.self) { group in
            for id in ids { group.addTask { try? await runtime.delete(id) } }
        }
        for rootfs in rootfses { try? Rootfs.remove(at: rootfs) }
        runtime.removeCgroups(cgroupParent)
        let swept = await Mounts.sweep(under: directory.path)
        if swept > 0 { log("floor: unmounted \(swept) rootfs that Rootfs.remove left mounted") }
    }
}
