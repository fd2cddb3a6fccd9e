import OrcaAPI

/// One minion as the predicates and priorities see it: what it offers, read from its `Node`, and
/// what the pods bound (or assumed) to it already take, kept up to date by ``ClusterSnapshot``.
///
/// A resource the minion does not declare (absent, or 0) is not limited, as in the seed's
/// Kubernetes 0.5; such a minion scores 0 for that resource in least-requested.
public struct MinionInfo: Sendable, Equatable {
    public var name: String
    public var labels: [String: String]
    /// Host ports in use, with how many pods use each (normally one).
    public internal(set) var usedHostPorts: [HostPort: Int] = [:]
    /// The flags and amounts every decision reads, kept apart from the reference-counted fields
    /// so the decision loop reads them without retaining anything.
    public internal(set) var summary: MinionSummary

    public init(name: String, ready: Bool = true, unschedulable: Bool = false, allocatableMilliCPU: Int64 = 0,
                allocatableMemory: Int64 = 0, labels: [String: String] = [:]) {
        self.name = name
        self.labels = labels
        self.summary = MinionSummary(
            ready: ready, unschedulable: unschedulable, allocatableMilliCPU: allocatableMilliCPU,
            allocatableMemory: allocatableMemory)
    }

    /// Reads what a minion offers from its `Node`: Ready condition, cordon, allocatable else
    /// capacity, labels. Nothing is counted as used yet.
    public init(node: Node) {
        let status = node.status
        let ready = status?.conditions?.first { $0.type == "Ready" }?.status == "True"
        func amount(_ resource: String) -> Quantity? {
            status?.allocatable?[resource] ?? status?.capacity?[resource]
        }
        self.init(
            name: node.metadata.name ?? "", ready: ready, unschedulable: node.spec?.unschedulable == true,
            allocatableMilliCPU: max(0, amount("cpu")?.milliValue ?? 0),
            allocatableMemory: max(0, amount("memory")?.value ?? 0),
            labels: node.metadata.labels ?? [:])
    }

    /// The `Ready` condition is `True`.
    public var ready: Bool {
        get { summary.ready }
        set { summary.ready = newValue }
    }
    /// `spec.unschedulable`: an operator has cordoned the minion.
    public var unschedulable: Bool {
        get { summary.unschedulable }
        set { summary.unschedulable = newValue }
    }
    /// Allocatable (else capacity) CPU in millicores; 0 when unlimited.
    public var allocatableMilliCPU: Int64 {
        get { summary.allocatableMilliCPU }
        set { summary.allocatableMilliCPU = newValue }
    }
    /// Allocatable (else capacity) memory in bytes; 0 when unlimited.
    public var allocatableMemory: Int64 {
        get { summary.allocatableMemory }
        set { summary.allocatableMemory = newValue }
    }
    public var requestedMilliCPU: Int64 { summary.requestedMilliCPU }
    public var requestedMemory: Int64 { summary.requestedMemory }
    public var podCount: Int { summary.podCount }

    /// Whether the minion offers the same as `other` (ignoring what is used): a change of offer
    /// is what may make an unschedulable pod fit.
    func sameOffer(as other: MinionInfo) -> Bool {
        ready == other.ready && unschedulable == other.unschedulable
            && allocatableMilliCPU == other.allocatableMilliCPU && allocatableMemory == other.allocatableMemory
            && labels == other.labels
    }

    mutating func add(_ usage: PodUsage) {
        summary.requestedMilliCPU &+= usage.milliCPU
        summary.requestedMemory &+= usage.memory
        summary.scoringMilliCPU &+= usage.scoringMilliCPU
        summary.scoringMemory &+= usage.scoringMemory
        summary.podCount += 1
        for port in usage.hostPorts { usedHostPorts[port, default: 0] += 1 }
    }

    mutating func remove(_ usage: PodUsage) {
        summary.requestedMilliCPU &-= usage.milliCPU
        summary.requestedMemory &-= usage.memory
        summary.scoringMilliCPU &-= usage.scoringMilliCPU
        summary.scoringMemory &-= usage.scoringMemory
        summary.podCount -= 1
        for port in usage.hostPorts {
            let left = usedHostPorts[port, default: 0] - 1
            usedHostPorts[port] = left > 0 ? left : nil
        }
    }

    /// Drops every count (the minion's pods are no longer counted on it).
    mutating func clearUsage() {
        summary.requestedMilliCPU = 0
        summary.requestedMemory = 0
        summary.scoringMilliCPU = 0
        summary.scoringMemory = 0
        summary.podCount = 0
        usedHostPorts = [:]
    }
}

/// A minion's flags and amounts: plain numbers, cheap to read for every minion of every decision.
public struct MinionSummary: Sendable, Equatable {
    public var ready: Bool
    public var unschedulable: Bool
    /// Allocatable (else capacity) CPU in millicores; 0 when unlimited.
    public var allocatableMilliCPU: Int64
    /// Allocatable (else capacity) memory in bytes; 0 when unlimited.
    public var allocatableMemory: Int64
    /// Summed requests of the pods counted on the minion.
    public internal(set) var requestedMilliCPU: Int64 = 0
    public internal(set) var requestedMemory: Int64 = 0
    /// The same with Kubernetes' defaults for containers without requests (scoring only).
    public internal(set) var scoringMilliCPU: Int64 = 0
    public internal(set) var scoringMemory: Int64 = 0
    public internal(set) var podCount = 0
    /// The minion's labels as numbered by the snapshot (see ``LabelMask``).
    public internal(set) var labelMask = LabelMask()

    public init(ready: Bool, unschedulable: Bool = false, allocatableMilliCPU: Int64, allocatableMemory: Int64) {
        self.ready = ready
        self.unschedulable = unschedulable
        self.allocatableMilliCPU = allocatableMilliCPU
        self.allocatableMemory = allocatableMemory
    }
}

/// What one counted pod takes from its minion.
struct PodUsage: Sendable, Equatable {
    var milliCPU: Int64
    var memory: Int64
    var scoringMilliCPU: Int64
    var scoringMemory: Int64
    var hostPorts: [HostPort]

    init(_ request: PodRequest) {
        milliCPU = request.milliCPU
        memory = request.memory
        scoringMilliCPU = request.scoringMilliCPU
        scoringMemory = request.scoringMemory
        hostPorts = request.hostPorts
    }
}
