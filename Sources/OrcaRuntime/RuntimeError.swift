#if canImport(Glibc)
import Glibc
#endif

/// Failures of the node machinery, each with what was being done.
public enum RuntimeError: Error, CustomStringConvertible, Sendable {
    /// A system call failed with `errno`.
    case system(String, Int32)
    /// posix_spawn of a program failed.
    case spawn(String, Int32)
    /// A command ran and failed; `output` is what it printed on stderr (or stdout).
    case command(String, ExitStatus, output: String)
    /// A command did not finish in time and was killed.
    case timedOut(String, Duration)

    public var description: String {
        switch self {
        case .system(let call, let error): "\(call): \(String(cString: strerror(error)))"
        case .spawn(let path, let error): "cannot start \(path): \(String(cString: strerror(error)))"
        case .command(let command, let status, let output):
            "\(command) failed (\(status))" + (output.isEmpty ? "" : ": \(output)")
        case .timedOut(let command, let limit): "\(command) did not finish within \(limit)"
        }
    }
}
