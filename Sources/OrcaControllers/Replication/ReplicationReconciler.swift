import OrcaAPI

/// The replication manager's decision for one replication controller: from the controller and
/// the pods the manager's cache holds, the writes that move the pods toward `spec.replicas`.
///
/// Pure and synchronous: it does no I/O and keeps no state, so it can be tested by tables and
/// simulated at will. ``ReplicationManager`` runs it and performs the actions.
///
/// How it counts. A pod is a replica of the controller when it is in the controller's namespace,
/// its labels match `spec.selector`, and either it is controlled by this controller (owner
/// reference with `controller: true` and the controller's uid) or it has no controlling owner and
/// is adopted now. Pods controlled by anything else are left alone. Of the replicas, the *active*
/// ones are those neither ended (`Succeeded`/`Failed`) nor being deleted: they are what
/// `status.replicas` reports and what is compared with `spec.replicas`, so an ended pod is
/// replaced. Once the active replicas reach the desired number, the ended pods the controller owns
/// are deleted, so `kubecfg list pods` does not keep them forever, but only then, so a failed pod
/// stays visible until its replacement exists.
///
/// Creates and deletes are only decided when the expectations are satisfied (see
/// ``ReplicationExpectations``); adoption, release and status are decided every time.
public struct ReplicationReconciler: Sendable {
    public struct Configuration: Sendable, Equatable {
        /// The most pods created, or deleted, for one controller in one reconcile (Kubernetes'
        /// `burstReplicas`). The rest come in the next reconcile, once these have been seen.
        public var burstReplicas: Int = 500

        public init(burstReplicas: Int = 500) {
            self.burstReplicas = burstReplicas
        }
    }

    public var configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The writes for `rc`, given `pods` (any pods; those outside the controller's namespace or
    /// selector are ignored) and whether its expectations are satisfied.
    ///
    /// Order: adoptions and releases first, then deletions, then creations, then the status.
    public func reconcile(rc: ReplicationController, pods: [Pod], expectationsSatisfied: Bool)
        -> [ReplicationAction] {
        let namespace = rc.metadata.namespace ?? "default"
        let selector = rc.spec?.selector ?? [:]
        let matcher = LabelSelector(selector)
        let uid = rc.metadata.uid ?? ""
        let rcIsLive = rc.metadata.deletionTimestamp == nil
        var actions: [ReplicationAction] = []
        var replicas: [Pod] = []
        var adopting: Set<String> = []

        for pod in pods where (pod.metadata.namespace ?? "default") == namespace {
            // An empty selector would match every pod; validation forbids it, so it matches none.
            let matches = !selector.isEmpty && matcher.matches(pod.metadata.labels)
            if let owner = pod.controllerReference {
                guard owner.kind == ReplicationController.kind, !uid.isEmpty, owner.uid == uid else { continue }
                if matches {
                    replicas.append(pod)
                } else if !pod.isBeingDeleted {
                    actions.append(.release(Self.released(pod, uid: uid)))
                }
            } else if matches && rcIsLive && !pod.isTerminal && !pod.isBeingDeleted && !uid.isEmpty {
                let adopted = Self.adopted(pod, by: rc)
                actions.append(.adopt(adopted))
                replicas.append(adopted)
                adopting.insert(pod.metadata.name ?? "")
            }
        }

        let active = replicas.filter { !$0.isTerminal && !$0.isBeingDeleted }
        let desired = max(0, rc.spec?.replicas ?? 1)
        if expectationsSatisfied && rcIsLive {
            let burst = max(1, configuration.burstReplicas)
            if active.count < desired {
                if let template = Self.pod(from: rc) {
                    let count = min(desired - active.count, burst)
                    actions += Array(repeating: .create(template), count: count)
                }
            } else {
                // A pod adopted in this reconcile counts, but is not deleted until its adoption has
                // been seen: the adoption may yet fail, and an orphan is not this controller's to delete.
                let owned = active.filter { !adopting.contains($0.metadata.name ?? "") }
                let surplus = min(active.count - desired, burst, owned.count)
                if surplus > 0 {
                    // Ranking every replica costs a sort; only a controller with a surplus needs it.
                    let doomed = ReplicationReconciler.deletionOrder(owned).prefix(surplus)
                    actions += doomed.map { .delete(name: $0.metadata.name ?? "") }
                }
                // Ended pods the controller owns go once enough live replicas exist.
                let ended = replicas
                    .filter { $0.isTerminal && !$0.isBeingDeleted && $0.controllerReference?.uid == uid }
                    .map { $0.metadata.name ?? "" }
                    .sorted()
                actions += ended.prefix(burst - surplus).map { .delete(name: $0) }
            }
        }

        let ready = active.filter(\.hasReadyCondition).count
        let generation = rc.metadata.generation
        let status = rc.status
        if status?.replicas != active.count || (status?.readyReplicas ?? 0) != ready
            || status?.observedGeneration != generation {
            actions.append(.updateStatus(replicas: active.count, readyReplicas: ready, observedGeneration: generation))
        }
        return actions
    }

    /// The pod `rc` creates: its template's labels, annotations and spec, in its namespace, named
    /// `<rc>-<random>` by the server, controlled by `rc`. Nil when the template has no pod spec.
    public static func pod(from rc: ReplicationController) -> Pod? {
        guard let template = rc.spec?.template, let spec = template.spec else { return nil }
        let name = rc.metadata.name ?? ""
        var meta = ObjectMeta(
            generateName: "\(name)-", namespace: rc.metadata.namespace ?? "default",
            labels: template.metadata?.labels, annotations: template.metadata?.annotations)
        meta.ownerReferences = [ownerReference(to: rc)]
        return Pod(metadata: meta, spec: spec)
    }

    /// The owner reference a controller's pods carry.
    public static func ownerReference(to rc: ReplicationController) -> OwnerReference {
        OwnerReference(apiVersion: "v1", kind: ReplicationController.kind, name: rc.metadata.name ?? "",
                       uid: rc.metadata.uid ?? "", controller: true)
    }

    static func adopted(_ pod: Pod, by rc: ReplicationController) -> Pod {
        var pod = pod
        pod.metadata.ownerReferences = (pod.metadata.ownerReferences ?? []) + [ownerReference(to: rc)]
        return pod
    }

    static func released(_ pod: Pod, uid: String) -> Pod {
        var pod = pod
        let remaining = (pod.metadata.ownerReferences ?? []).filter { $0.uid != uid }
        pod.metadata.ownerReferences = remaining.isEmpty ? nil : remaining
        return pod
    }
}
