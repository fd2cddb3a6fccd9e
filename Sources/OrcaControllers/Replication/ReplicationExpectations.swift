/// What the replication manager is waiting to see, per controller, as Kubernetes'
/// `ControllerExpectations`: after issuing creates and deletes for a controller it must not decide
/// again for it until its pod watch has shown those changes, or it would count the same missing
/// replicas twice while the watch lags and over-create.
///
/// A pure value: time is passed in (`now`, a monotonic duration from any origin), so tests drive
/// it without a clock. Keys are the controllers' `namespace/name`. Creations are counted (the
/// pods' names are not known until the server generates them); deletions are tracked by pod
/// name, so an unrelated deletion does not satisfy them. Expectations older than ``ttl`` count as
/// satisfied: a lost event (a create that failed after the server stored it, a change the watch
/// skipped across a relist) delays the controller by at most the TTL instead of wedging it.
public struct ReplicationExpectations: Sendable, Equatable {
    /// What one controller waits for.
    public struct Pending: Sendable, Equatable {
        /// Pod creations issued and not yet seen.
        public var creations: Int
        /// Names of pods whose deletion was issued and not yet seen.
        public var deletions: Set<String>
        /// When the expectations were set.
        public var since: Duration

        public var isFulfilled: Bool { creations <= 0 && deletions.isEmpty }
    }

    /// How long expectations may go unfulfilled before they are ignored.
    public var ttl: Duration
    private var pending: [String: Pending] = [:]

    public init(ttl: Duration = .seconds(30)) {
        self.ttl = ttl
    }

    /// What the controller `key` still waits for, if anything (expired expectations included).
    public func pending(for key: String) -> Pending? {
        pending[key].flatMap { $0.isFulfilled ? nil : $0 }
    }

    /// Whether the controller `key` may create or delete pods: everything it issued has been seen,
    /// or it waited longer than ``ttl``.
    public func isSatisfied(_ key: String, now: Duration) -> Bool {
        guard let entry = pending[key], !entry.isFulfilled else { return true }
        return now - entry.since >= ttl
    }

    /// How long until the expectations of `key` expire; nil when it is satisfied.
    public func timeUntilExpiry(_ key: String, now: Duration) -> Duration? {
        guard !isSatisfied(key, now: now), let entry = pending[key] else { return nil }
        return entry.since + ttl - now
    }

    /// Records that `creations` pods and the deletion of the pods `deletions` are about to be
    /// issued for `key`, replacing earlier (fulfilled or expired) expectations. Call before issuing.
    /// Expecting nothing changes nothing, so a reconcile that issued no writes keeps waiting.
    public mutating func expect(creations: Int, deletions: some Sequence<String>, for key: String, now: Duration) {
        let entry = Pending(creations: creations, deletions: Set(deletions), since: now)
        guard !entry.isFulfilled else { return }
        pending[key] = entry
    }

    /// Records the creations and deletions among `actions` (see ``expect(creations:deletions:for:now:)``).
    public mutating func expect(_ actions: [ReplicationAction], for key: String, now: Duration) {
        var creations = 0
        var deletions: [String] = []
        for action in actions {
            switch action {
            case .create: creations += 1
            case .delete(let name): deletions.append(name)
            default: break
            }
        }
        expect(creations: creations, deletions: deletions, for: key, now: now)
    }

    /// A pod controlled by `key` was seen created, or a create for it failed (so none will be seen).
    public mutating func creationObserved(for key: String, count: Int = 1) {
        guard var entry = pending[key] else { return }
        entry.creations -= count
        store(entry, for: key)
    }

    /// The pod `name` controlled by `key` was seen deleted (or going), or its deletion found it gone.
    public mutating func deletionObserved(pod name: String, for key: String) {
        guard var entry = pending[key], entry.deletions.contains(name) else { return }
        entry.deletions.remove(name)
        store(entry, for: key)
    }

    /// Drops the expectations of `key` (its controller was deleted).
    public mutating func forget(_ key: String) {
        pending[key] = nil
    }

    private mutating func store(_ entry: Pending, for key: String) {
        pending[key] = entry.isFulfilled ? nil : entry
    }
}
