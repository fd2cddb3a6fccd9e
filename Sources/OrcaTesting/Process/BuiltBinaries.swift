import Foundation

/// Finds the executables built with the tests (`orca`, `orca-minion`, `kubecfg`), whatever scratch path the
/// build used: the test runner lives in the same products directory (`<scratch>/debug`).
public enum BuiltBinaries {
    public struct Missing: Error, CustomStringConvertible {
        var name: String
        var searched: [String]
        public var description: String {
            "the \(name) executable was not found in \(searched.joined(separator: ", ")); "
                + "build it with `swift build` (or set ORCA_BIN_DIR to the directory that holds it)"
        }
    }

    /// The path of a built executable, looked for in `$ORCA_BIN_DIR`, then in the directories
    /// around the running test binary, then in the package's `.build/debug`.
    public static func path(_ name: String) throws -> String {
        let candidates = searchDirectories()
        for directory in candidates {
            let path = directory.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw Missing(name: name, searched: candidates.map(\.path))
    }

    /// Whether tests that run `name` can run: it is built, or we are under CI, where a missing
    /// binary must fail the test rather than skip it.
    public static func available(_ name: String) -> Bool {
        (try? path(name)) != nil || ProcessInfo.processInfo.environment["CI"] == "true"
    }

    private static func searchDirectories() -> [URL] {
        var directories: [URL] = []
        if let override = ProcessInfo.processInfo.environment["ORCA_BIN_DIR"], !override.isEmpty {
            directories.append(URL(fileURLWithPath: override))
        }
        // Linux runs `<products>/<package>PackageTests.xctest` itself; macOS runs the binary
        // inside `<products>/<package>PackageTests.xctest/Contents/MacOS/`: walk up a few levels.
        let starts = [
            Bundle.main.executableURL, Bundle.main.bundleURL,
            URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath(),
            CommandLine.arguments.first.map { URL(fileURLWithPath: $0) },
        ]
        for start in starts.compactMap({ $0 }) {
            var directory = start.resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<4 {
                if !directories.contains(directory) { directories.append(directory) }
                directory = directory.deletingLastPathComponent()
            }
        }
        // Sources/OrcaTesting/Process/BuiltBinaries.swift -> the package root.
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        directories.append(packageRoot.appendingPathComponent(".build/debug"))
        return directories
    }
}
