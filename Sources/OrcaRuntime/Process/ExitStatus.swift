/// How a process ended, decoded from a `waitpid` status word.
public enum ExitStatus: Sendable, Hashable, CustomStringConvertible {
    /// `exit(code)`.
    case exited(Int32)
    /// Killed by a signal (SIGKILL from the OOM killer or the kubelet, SIGTERM...).
    case signaled(Int32)

    /// Decodes the status word (the WIFEXITED / WEXITSTATUS / WTERMSIG macros, which Swift cannot import).
    public init(waitStatus status: Int32) {
        let signal = status & 0x7f
        self = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }

    /// The exit code a shell (and Kubernetes) reports: the code, or 128 + the signal number.
    public var code: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    }

    public var succeeded: Bool { self == .exited(0) }

    public var description: String {
        switch self {
        case .exited(let code): "exit status \(code)"
        case .signaled(let signal): "killed by signal \(signal)"
        }
    }
}
