import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// `orca minion ARGS...`: runs `orca-minion ARGS...`, the executable beside this one, in this
/// process (execv: the PID stays, as scripts, `orca up` and the test fixtures expect). The
/// minion is an executable of its own, without the master's code and without Foundation, so
/// that it stays small in memory (docs/kubelet.md). `orca-minion --help` lists its options.
struct MinionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "minion",
        abstract: "Run this host's kubelet: the pods bound to it as runc containers.",
        discussion: "Runs orca-minion, the executable beside orca, with the same arguments.")

    @Argument(parsing: .captureForPassthrough, help: "orca-minion's options (orca minion --help lists them).")
    var arguments: [String] = []

    func run() throws {
        MinionExecutable.exec(arguments: arguments)
    }
}

/// Where `orca-minion` is and how `orca minion` hands over to it.
enum MinionExecutable {
    static let name = "orca-minion"

    /// `orca-minion` in the directory of the running `orca` (found through /proc/self/exe, so
    /// a symlink to orca elsewhere still finds it).
    static var path: String {
        let orca = currentExecutable()
        guard let slash = orca.lastIndex(of: "/") else { return name }
        return String(orca[...slash]) + name
    }

    /// Replaces this process with `orca-minion arguments...`; returns only by exiting with a
    /// one-line error when it cannot (orca-minion missing or not executable).
    static func exec(arguments: [String]) -> Never {
        let path = path
        let argv = ([name] + arguments).map { strdup($0) } + [nil]
        execv(path, argv)
        let reason = String(cString: strerror(errno))
        var message = "orca minion: cannot run \(path): \(reason) (build it with swift build --product orca-minion)\n"
        message.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
        exit(127)
    }
}
