import Foundation
import OrcaRuntime

/// A root filesystem of Debian's busybox-static, for tests that run containers without an
/// image: /bin/busybox and a symlink per applet, plus the directories a container expects.
public enum BusyboxRootfs {
    public static let busybox = "/bin/busybox"

    /// Whether runtime tests can run here: root, runc and busybox-static. Under CI a missing
    /// prerequisite must fail the test, so this is true there regardless.
    public static var available: Bool {
        ProcessInfo.processInfo.environment["CI"] == "true" || missing.isEmpty
    }

    /// What is missing for runtime tests, for the skip message.
    public static var missing: [String] {
        var missing: [String] = []
        if getuid() != 0 { missing.append("root") }
        for tool in ["/usr/sbin/runc", busybox] where !FileManager.default.isExecutableFile(atPath: tool) {
            missing.append(tool)
        }
        return missing
    }

    /// Makes the rootfs in `directory` (created if needed).
    public static func make(at directory: URL) async throws {
        let fileManager = FileManager.default
        for sub in ["bin", "etc", "tmp", "proc", "sys", "dev", "root", "var"] {
            try fileManager.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let target = directory.appendingPathComponent("bin/busybox").path
        if !fileManager.fileExists(atPath: target) { try fileManager.copyItem(atPath: busybox, toPath: target) }
        // The applets as relative links, so they resolve inside the container's root.
        let list = try await Command(busybox, ["--list"]).run()
        for applet in String(decoding: list, as: UTF8.self).split(separator: "\n") where applet != "busybox" {
            let link = directory.appendingPathComponent("bin/\(applet)").path
            if (try? fileManager.destinationOfSymbolicLink(atPath: link)) == nil {
                try fileManager.createSymbolicLink(atPath: link, withDestinationPath: "busybox")
            }
        }
        try "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n"
            .write(to: directory.appendingPathComponent("etc/passwd"), atomically: true, encoding: .utf8)
        try "root:x:0:\nnogroup:x:65534:\n"
            .write(to: directory.appendingPathComponent("etc/group"), atomically: true, encoding: .utf8)
    }
}
