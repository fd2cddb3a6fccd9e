import CRuntimeShims
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#endif

/// The one place in a process that collects children's exits.
///
/// A kubelet's children are short commands (runc, CNI plugins) and, once it is a child
/// subreaper, the containers' init processes that `runc create` leaves behind. One thread
/// blocks in `waitpid(-1)` and hands each exit to whoever waits for that PID, so no zombie
/// is left and no exit is lost to a race between two waiters. Everything that starts
/// processes in an Orca daemon or its tests goes through ``spawn(_:arguments:environment:stdin:stdout:stderr:directory:newSession:)``;
/// Foundation's `Process` would fight this thread for its children's statuses.
public final class Reaper: @unchecked Sendable {
    public static let shared = Reaper()

    /// A child's slot: its status once reaped, or the task waiting for it.
    private enum Slot {
        case running([CheckedContinuation<ExitStatus, Never>])
        case exited(ExitStatus)
    }

    private let condition = ConditionLock()
    private var slots: [pid_t: Slot] = [:]
    /// Exits of processes nobody registered (a container init that died before the kubelet
    /// read its PID file, or a stray grandchild), kept briefly so ``adopt(_:)`` can find them.
    private var unclaimed: [pid_t: (status: ExitStatus, at: ContinuousClock.Instant)] = [:]
    private var generation = 0
    private var started = false

    private init() {}

    /// Makes orphaned descendants (containers' init processes) children of this process.
    public func becomeSubreaper() throws {
        guard orca_set_child_subreaper() == 0 else { throw RuntimeError.system("prctl(PR_SET_CHILD_SUBREAPER)", errno) }
    }

    /// Starts `path` with every signal unblocked and at its default disposition.
    /// Descriptors: nil means /dev/null.
    public func spawn(
        _ path: String, arguments: [String], environment: [String: String]? = nil,
        stdin: Int32? = nil, stdout: Int32? = nil, stderr: Int32? = nil,
        directory: String? = nil, newSession: Bool = false
    ) throws -> pid_t {
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            env.forEach { free($0) }
        }
        condition.lock()
        defer { condition.unlock() }
        startIfNeeded()
        var pid: pid_t = 0
        // Registered under the lock, so the reaper (which needs it to deliver) cannot see the
        // exit of a child that finishes at once before its slot exists.
        let rc = orca_spawn(&pid, path, argv, env, stdin ?? -1, stdout ?? -1, stderr ?? -1, directory,
                            newSession ? 1 : 0)
        guard rc == 0 else { throw RuntimeError.spawn(path, rc) }
        slots[pid] = .running([])
        generation += 1
        condition.broadcast()
        return pid
    }

    /// Waits for a child started by ``spawn`` (or adopted) to exit.
    public func wait(for pid: pid_t) async -> ExitStatus {
        await withCheckedContinuation { continuation in
            condition.lock()
            defer { condition.unlock() }
            switch slots[pid] {
            case .exited(let status):
                slots[pid] = nil
                continuation.resume(returning: status)
            case .running(let waiters):
                slots[pid] = .running(waiters + [continuation])
            case nil:
                // Not ours, or already collected by an earlier wait: nothing to wait for.
                continuation.resume(returning: .exited(0))
            }
        }
    }

    /// The status if `pid` has exited and not been collected by ``wait(for:)`` yet.
    public func exitStatus(of pid: pid_t) -> ExitStatus? {
        condition.lock()
        defer { condition.unlock() }
        if case .exited(let status) = slots[pid] { return status }
        return nil
    }

    /// Takes over a process that became this one's child by re-parenting (a container's
    /// init after `runc create`). False when it is not a child (a kubelet restarted since).
    public func adopt(_ pid: pid_t) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if slots[pid] != nil { return true }
        if let early = unclaimed.removeValue(forKey: pid) {
            slots[pid] = .exited(early.status)
            return true
        }
        // A zombie or live child of ours? waitid with WNOWAIT asks without reaping.
        var info = siginfo_t()
        let rc = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
        guard rc == 0 else { return false }
        slots[pid] = .running([])
        generation += 1
        condition.broadcast()
        return true
    }

    /// Forgets a child nobody will wait for (its status is dropped when it exits).
    public func release(_ pid: pid_t) {
        condition.lock()
        defer { condition.unlock() }
        slots[pid] = nil
    }

    private func startIfNeeded() {
        guard !started else { return }
        started = true
        ConditionLock.startThread(name: "orca-reaper") { [self] in loop() }
    }

    private func loop() {
        // Signals stay blocked on this thread; waitpid needs none.
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, 0)
            if pid > 0 {
                deliver(pid, ExitStatus(waitStatus: status))
                continue
            }
            if errno == EINTR { continue }
            // ECHILD: no children. Sleep until a spawn or adoption adds one; the timeout
            // covers children that arrive by re-parenting alone.
            condition.lock()
            let seen = generation
            while generation == seen {
                if !condition.wait(seconds: 1) { break }
            }
            condition.unlock()
        }
    }

    private func deliver(_ pid: pid_t, _ status: ExitStatus) {
        condition.lock()
        let slot = slots[pid]
        switch slot {
        case .running(let waiters) where !waiters.isEmpty:
            slots[pid] = nil
            condition.unlock()
            for waiter in waiters { waiter.resume(returning: status) }
            return
        case .running:
            slots[pid] = .exited(status)
        case .exited, nil:
            let now = ContinuousClock.now
            unclaimed[pid] = (status, now)
            if unclaimed.count > 256 {
                unclaimed = unclaimed.filter { now - $0.value.at < .seconds(60) }
            }
        }
        condition.unlock()
    }
}
