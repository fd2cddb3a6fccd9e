import OrcaAPI

/// What a pod asks of a minion, read once from the pod before the minions are scanned.
///
/// Requests are summed over the containers; a container without `resources.requests` for a
/// resource falls back to its `resources.limits` (as Kubernetes defaults requests to limits).
/// CPU is in millicores, memory in bytes. The *scoring* amounts (`scoringMilliCPU`,
/// `scoringMemory`) count a container that asks for nothing as asking for 100m CPU and 200 MiB,
/// as Kubernetes' least-requested priority does, so pods without requests still spread out;
/// they never decide whether a pod fits.
public struct PodRequest: Sendable, Equatable {
    /// Added for a container that requests no CPU, when scoring only.
    public static let defaultScoringMilliCPU: Int64 = 100
    /// Added for a container that requests no memory, when scoring only.
    public static let defaultScoringMemory: Int64 = 200 * 1024 * 1024

    /// `namespace/name`, the key the scheduler's queue and snapshot use.
    public var key: String
    public var milliCPU: Int64
    public var memory: Int64
    public var scoringMilliCPU: Int64
    public var scoringMemory: Int64
    public var hostPorts: [HostPort]
    /// Labels the minion must carry (`spec.nodeSelector`).
    public var nodeSelector: [String: String]
    /// Where a scan of the minions starts, from a hash of the key, so minions with equal
    /// scores share pods instead of the first one taking them all.
    public var tieBreak: UInt64

    public init(pod: Pod) {
        let namespace = pod.metadata.namespace ?? "default"
        self.init(key: "\(namespace)/\(pod.metadata.name ?? "")", spec: pod.spec)
    }

    public init(key: String, spec: PodSpec?) {
        self.key = key
        var cpu: Int64 = 0
        var memory: Int64 = 0
        var scoringCPU: Int64 = 0
        var scoringMemory: Int64 = 0
        for container in spec?.containers ?? [] {
            let c = Self.amount(of: "cpu", in: container.resources)?.milliValue ?? 0
            let m = Self.amount(of: "memory", in: container.resources)?.value ?? 0
            cpu &+= c
            memory &+= m
            scoringCPU &+= c > 0 ? c : Self.defaultScoringMilliCPU
            scoringMemory &+= m > 0 ? m : Self.defaultScoringMemory
        }
        self.milliCPU = cpu
        self.memory = memory
        self.scoringMilliCPU = scoringCPU
        self.scoringMemory = scoringMemory
        self.hostPorts = HostPort.ports(of: spec)
        self.nodeSelector = spec?.nodeSelector ?? [:]
        self.tieBreak = Self.fnv1a(key)
    }

    /// The request for `resource`, else the limit (Kubernetes defaults one to the other).
    static func amount(of resource: String, in resources: ResourceRequirements?) -> Quantity? {
        resources?.requests?[resource] ?? resources?.limits?[resource]
    }

    /// FNV-1a of the key's UTF-8 bytes, stable across runs (unlike `Hasher`), so tests are repeatable.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
