import OrcaAPI

/// The pods controlled by each replication controller, by the controller's `namespace/name`
/// (whatever its uid, so the pods of a deleted controller can still be found under its name).
struct ReplicationOwnerIndex: Sendable {
    /// controller key -> pod names.
    private var podsByController: [String: Set<String>] = [:]
    /// pod key -> its controller key.
    private var controllerByPod: [String: String] = [:]

    init() {}

    /// The key of the replication controller that controls `pod`, if one does.
    static func controllerKey(of pod: Pod) -> String? {
        guard let owner = pod.controllerReference, owner.kind == ReplicationController.kind else { return nil }
        return "\(pod.metadata.namespace ?? "default")/\(owner.name)"
    }

    /// Records (or updates) `pod`'s controller.
    mutating func set(_ pod: Pod) {
        let podKey = pod.cacheKey
        let name = pod.metadata.name ?? ""
        let controller = Self.controllerKey(of: pod)
        let previous = controllerByPod[podKey]
        guard previous != controller else { return }
        if let previous { removeName(name, from: previous) }
        if let controller {
            podsByController[controller, default: []].insert(name)
            controllerByPod[podKey] = controller
        } else {
            controllerByPod[podKey] = nil
        }
    }

    mutating func remove(_ pod: Pod) {
        let podKey = pod.cacheKey
        guard let previous = controllerByPod.removeValue(forKey: podKey) else { return }
        removeName(pod.metadata.name ?? "", from: previous)
    }

    /// The names of the pods controlled by the controller `key`.
    func podNames(controlledBy key: String) -> Set<String> {
        podsByController[key] ?? []
    }

    private mutating func removeName(_ name: String, from controller: String) {
        podsByController[controller]?.remove(name)
        if podsByController[controller]?.isEmpty == true { podsByController[controller] = nil }
    }
}
