import Foundation
import OrcaRuntime
import OrcaTesting
import Testing

/// `orca image load|list` and `orca minion`'s flag checks, with the built binary.
@Suite("orca image and orca minion flags",
       .enabled(if: MinionFixture.available, "needs \(MinionFixture.missing.joined(separator: ", "))"))
struct OrcaImageCommandTests {
    @Test("orca image load imports a docker save archive; orca image list shows it")
    func loadAndList() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orca-image-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let archive = directory.appendingPathComponent("busybox.tar")
        try await TestImages.dockerArchive(tag: TestImages.latest, name: "busybox:saved", at: archive)
        let orca = try BuiltBinaries.path("orca")
        let data = directory.appendingPathComponent("minion").path

        let load = try await CommandResult.run(orca, ["image", "load", archive.path, "--data-dir", data])
        #expect(load.status == 0, "\(load)")
        #expect(load.stdout == "Loaded image: docker.io/library/busybox:saved\n")
        let list = try await CommandResult.run(orca, ["image", "list", "--data-dir", data])
        #expect(list.status == 0, "\(list)")
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("IMAGE") == true)
        #expect(lines.contains { $0.hasPrefix("docker.io/library/busybox:saved ") })

        let missing = try await CommandResult.run(orca, ["image", "load", directory.appendingPathComponent("nope.tar").path,
                                                         "--data-dir", data])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("nope.tar"), "\(missing)")
        let garbage = directory.appendingPathComponent("garbage.tar")
        try Data("not a tar".utf8).write(to: garbage)
        let bad = try await CommandResult.run(orca, ["image", "load", garbage.path, "--data-dir", data])
        #expect(bad.status != 0, "\(bad)")
        #expect(!bad.stderr.isEmpty)
    }

    @Test("orca minion refuses bad flags with one line and a non-zero exit")
    func badFlags() async throws {
        let orca = try BuiltBinaries.path("orca")
        for (arguments, expected) in [
            (["minion", "--host-ip", "10.245.2"], "--host-ip"),
            (["minion", "--host-ip", "10.245.2.2", "--pod-cidr", "10.244.1.0"], "--pod-cidr"),
            (["minion", "--host-ip", "10.245.2.2", "--registry-mirror", "docker.io"], "--registry-mirror"),
            (["minion", "--host-ip", "10.245.2.2", "--listen", "nowhere"], "--listen"),
        ] {
            let result = try await CommandResult.run(orca, arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(expected), "\(arguments): \(result)")
        }
    }
}
