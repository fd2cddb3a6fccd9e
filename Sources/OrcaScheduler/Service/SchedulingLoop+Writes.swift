import Foundation
import Logging
import OrcaAPI
import OrcaClient

extension SchedulingLoop {
    /// Binds an assumed pod. A failure undoes the assumption: a conflict (the pod changed, or
    /// is bound already) plans again once the informer has the fresh pod; a pod gone is
    /// dropped; any other error retries with the queue's backoff.
    func bind(_ pod: Pod, key: String, to minion: String) async {
        do {
            try await client.bind(
                pod: pod.metadata.name ?? "", namespace: pod.metadata.namespace ?? "default", node: minion,
                resourceVersion: pod.metadata.resourceVersion)
            cache.forgetUnschedulable(key)
            await queue.forget(key)
            logger.trace("bound", metadata: ["pod": "\(key)", "minion": "\(minion)"])
        } catch {
            cache.withLock { _ = $0.snapshot.forget(assumedPodWithKey: key) }
            switch error {
            case let error as APIError where error.reason == .notFound:
                logger.debug("pod deleted before its binding", metadata: ["pod": "\(key)"])
            case let error as APIError where error.reason == .conflict:
                logger.debug("binding conflict; planning again", metadata: ["pod": "\(key)", "error": "\(error)"])
                await queue.addRateLimited(key)
            case is CancellationError:
                break
            default:
                logger.warning("binding failed; retrying", metadata: [
                    "pod": "\(key)", "minion": "\(minion)", "error": "\(error)",
                ])
                await queue.addRateLimited(key)
            }
        }
    }

    /// Says why a pod is unschedulable: its `PodScheduled=False` condition (reason
    /// `Unschedulable`) and a `FailedScheduling` Warning event. A write that fails is forgotten,
    /// so the pod's next retry writes it again.
    func report(_ pod: Pod, key: String, message: String, condition: Bool, event: Bool) async {
        if condition {
            do {
                try await setUnschedulableCondition(pod, message: message)
            } catch {
                cache.withLock { state in
                    if state.reportedCondition[key] == message { state.reportedCondition[key] = nil }
                }
                logger.warning("cannot set PodScheduled=False", metadata: ["pod": "\(key)", "error": "\(error)"])
            }
        }
        if event {
            do {
                _ = try await client.create(failedSchedulingEvent(pod, message: message))
            } catch {
                cache.withLock { _ = $0.reportedEvents[key]?.remove(message) }
                logger.warning("cannot record event", metadata: ["pod": "\(key)", "error": "\(error)"])
            }
        }
        logger.debug("unschedulable", metadata: ["pod": "\(key)", "reason": "\(message)"])
    }

    /// Writes the condition through the status subresource (compare-and-swap on the pod's
    /// resourceVersion; on a conflict the pod is read again, up to three times).
    private func setUnschedulableCondition(_ pod: Pod, message: String) async throws {
        var current = pod
        for attempt in 1...3 {
            guard SnapshotFeeder.needsScheduling(current) else { return }
            guard let updated = Self.withUnschedulableCondition(current, message: message) else { return }
            do {
                _ = try await client.updateStatus(updated)
                return
            } catch let error as APIError where error.reason == .conflict && attempt < 3 {
                current = try await client.get(
                    Pod.self, name: pod.metadata.name ?? "", namespace: pod.metadata.namespace ?? "default")
            }
        }
    }

    /// The pod with `PodScheduled=False`, reason `Unschedulable` and `message`; nil when it
    /// already says so. The transition time is kept while the condition stays `False`.
    static func withUnschedulableCondition(_ pod: Pod, message: String) -> Pod? {
        var pod = pod
        var status = pod.status ?? PodStatus(phase: .pending)
        var conditions = status.conditions ?? []
        let previous = conditions.first { $0.type == "PodScheduled" }
        if previous?.status == "False", previous?.reason == "Unschedulable", previous?.message == message {
            return nil
        }
        let since = previous?.status == "False" ? previous?.lastTransitionTime : nil
        conditions.removeAll { $0.type == "PodScheduled" }
        conditions.append(PodCondition(
            type: "PodScheduled", status: "False", reason: "Unschedulable", message: message,
            lastTransitionTime: since ?? .now()))
        status.conditions = conditions
        pod.status = status
        return pod
    }

    /// A `FailedScheduling` Warning event about the pod, from the scheduler.
    func failedSchedulingEvent(_ pod: Pod, message: String) -> Event {
        let name = pod.metadata.name ?? ""
        let namespace = pod.metadata.namespace ?? "default"
        let now = Timestamp.now()
        // Named as Kubernetes names events: the object's name, a dot, the time in hex nanoseconds.
        let nanoseconds = UInt64(max(0, now.date.timeIntervalSince1970 * 1e9))
        var event = Event(
            metadata: ObjectMeta(name: "\(name).\(String(nanoseconds, radix: 16))", namespace: namespace),
            involvedObject: ObjectReference(
                kind: "Pod", namespace: namespace, name: name, uid: pod.metadata.uid, apiVersion: "v1",
                resourceVersion: pod.metadata.resourceVersion),
            reason: "FailedScheduling", message: message, source: EventSource(component: configuration.component),
            type: "Warning")
        event.firstTimestamp = now
        event.lastTimestamp = now
        event.count = 1
        return event
    }
}
