import OrcaAPI
import OrcaRuntime

#if canImport(Glibc)
import Glibc
#endif

/// What the kubelet knows of one container of a pod: its current instance and its history.
struct ContainerRecord: Sendable, Equatable {
    enum State: Sendable, Equatable {
        /// Not running and not (yet) started: `ContainerCreating`, `ErrImagePull`, `CrashLoopBackOff`...
        case waiting(reason: String, message: String?)
        case running(startedAt: Timestamp)
        case terminated(Termination)
    }

    /// How an instance ended.
    struct Termination: Sendable, Equatable {
        var exitCode: Int32
        var signal: Int32?
        /// `Completed`, `Error`, `OOMKilled`, `ContainerStatusUnknown`.
        var reason: String
        var startedAt: Timestamp?
        var finishedAt: Timestamp
        var containerID: String

        var apiState: ContainerStateTerminated {
            var state = ContainerStateTerminated(exitCode: exitCode, signal: signal, reason: reason,
                                                 startedAt: startedAt, finishedAt: finishedAt)
            state.containerID = containerID
            return state
        }
    }

    var name: String
    var state: State = .waiting(reason: "ContainerCreating", message: nil)
    /// The previous instance's end, once it has been restarted (`lastState`).
    var lastTermination: Termination?
    /// Instances started so far; the next one is `attempt` (0 first).
    var attempt = 0
    var restartCount: Int { max(0, attempt - 1) }
    /// The runc id and init pid of the instance that runs or last ran.
    var runcID: String?
    var pid: pid_t?
    var cgroupPath: String?
    var imageID: String?
    var backoff = RestartBackoff()
    /// An image pull failed: the next try waits for the backoff (`ImagePullBackOff`).
    var pullBackoff = RestartBackoff()

    var isRunning: Bool {
        if case .running = state { return true }
        return false
    }

    var termination: Termination? {
        if case .terminated(let termination) = state { return termination }
        return nil
    }

    /// Started at least once.
    var hasStarted: Bool { attempt > 0 }
}
