import OrcaAPI
import OrcaClient

extension HollowMinion {
    /// Notes a pod bound to this minion; returns whether it should be reported Running.
    ///
    /// A pod already Running with a pod IP (reported by an earlier run of this minion) is adopted
    /// as it is, its IP kept out of the pool.
    func track(_ pod: Pod) -> Bool {
        let key = pod.cacheKey
        return state.withLock { state in
            state.pods.insert(key)
            if pod.status?.phase == .running, let ip = pod.status?.podIP, !ip.isEmpty {
                if state.running[key] == nil {
                    state.running[key] = ip
                    state.addresses?.adopt(ip, for: key)
                }
                return false
            }
            return !state.silenced && !pod.hasEnded
        }
    }

    /// Forgets a deleted pod and frees its IP.
    func forget(_ pod: Pod) {
        let key = pod.cacheKey
        state.withLock { state in
            state.pods.remove(key)
            state.running[key] = nil
            state.addresses?.release(key)
        }
    }

    /// Reports `pod` Running through the status subresource, unless the minion is silenced or the
    /// pod has ended or runs already. The write is a compare-and-swap on the pod's
    /// resourceVersion: a conflict throws (the feed retries with the newer pod).
    func report(_ pod: Pod) async throws {
        guard track(pod) else { return }
        let key = pod.cacheKey
        let address = state.withLock { state -> String? in
            guard !state.silenced else { return nil }
            return state.addresses?.address(for: key)
        }
        guard let address else {
            if isSilenced { return }
            throw HollowMinionError.noPodAddress(minion: name, podCIDR: podCIDR)
        }
        var running = pod
        running.status = Self.runningStatus(of: pod, hostIP: configuration.hostIP, podIP: address, now: .now())
        do {
            _ = try await client.updateStatus(running)
        } catch let error as APIError where error.reason == .notFound {
            forget(pod)
            return
        }
        state.withLock { $0.running[key] = address }
    }
}

/// Why a hollow minion could not report a pod.
public enum HollowMinionError: Error, CustomStringConvertible {
    /// Not registered yet, or every address of the pod CIDR is taken.
    case noPodAddress(minion: String, podCIDR: String?)

    public var description: String {
        switch self {
        case .noPodAddress(let minion, let cidr):
            "hollow minion \(minion) has no free pod address (pod CIDR \(cidr ?? "not assigned yet"))"
        }
    }
}

extension Pod {
    /// `namespace/name`, the key of informers and work queues.
    var cacheKey: String { "\(metadata.namespace ?? "default")/\(metadata.name ?? "")" }

    /// Whether the pod has ended for good (`Succeeded` or `Failed`).
    var hasEnded: Bool {
        switch status?.phase {
        case .succeeded?, .failed?: true
        default: false
        }
    }
}
