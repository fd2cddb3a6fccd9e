extension V1Beta1 {
    /// A minion (v1 `Node`). Its `id` is how kubecfg lists it (the seed names minions by IP).
    public struct Minion: V1Beta1.Object {
        public var typeMeta: TypeMeta
        /// The minion's address (v1 `status.addresses[type=InternalIP]`).
        public var hostIP: String?
        public var resources: NodeResources?
        public var labels: [String: String]?
        /// A later v1beta1 addition: the minion's phase, conditions and addresses.
        public var status: MinionStatus?
        /// The range pod IPs on this minion come from (v1 `spec.podCIDR`).
        public var podCIDR: String?
        public var unschedulable: Bool?
        public var externalID: String?

        public init(typeMeta: TypeMeta = TypeMeta(kind: "Minion"), hostIP: String? = nil,
                    resources: NodeResources? = nil, labels: [String: String]? = nil, status: MinionStatus? = nil) {
            self.typeMeta = typeMeta
            self.hostIP = hostIP
            self.resources = resources
            self.labels = labels
            self.status = status
        }

        enum CodingKeys: String, CodingKey {
            case hostIP, resources, labels, status, podCIDR, unschedulable, externalID
        }

        public init(from decoder: any Decoder) throws {
            typeMeta = try TypeMeta(from: decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            hostIP = try c.decodeIfPresent(String.self, forKey: .hostIP)
            resources = try c.decodeIfPresent(NodeResources.self, forKey: .resources)
            labels = try c.decodeIfPresent([String: String].self, forKey: .labels)
            status = try c.decodeIfPresent(MinionStatus.self, forKey: .status)
            podCIDR = try c.decodeIfPresent(String.self, forKey: .podCIDR)
            unschedulable = try c.decodeIfPresent(Bool.self, forKey: .unschedulable)
            externalID = try c.decodeIfPresent(String.self, forKey: .externalID)
        }

        public func encode(to encoder: any Encoder) throws {
            try typeMeta.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(hostIP, forKey: .hostIP)
            try c.encodeIfPresent(resources, forKey: .resources)
            try c.encodeIfPresent(labels, forKey: .labels)
            try c.encodeIfPresent(status, forKey: .status)
            try c.encodeIfPresent(podCIDR, forKey: .podCIDR)
            try c.encodeIfPresent(unschedulable, forKey: .unschedulable)
            try c.encodeIfPresent(externalID, forKey: .externalID)
        }
    }

    /// What a minion offers. `cpu` as a number is millicores and `memory` bytes; text is a
    /// quantity (`"4Gi"`, `"2"`).
    public struct NodeResources: Codable, Sendable, Equatable {
        public var capacity: [String: IntOrString]?
        public init(capacity: [String: IntOrString]?) { self.capacity = capacity }
    }

    public struct MinionStatus: Codable, Sendable, Equatable {
        public var phase: String?
        public var conditions: [MinionCondition]?
        public var addresses: [NodeAddress]?

        public init(phase: String? = nil, conditions: [MinionCondition]? = nil, addresses: [NodeAddress]? = nil) {
            self.phase = phase
            self.conditions = conditions
            self.addresses = addresses
        }
    }

    /// A minion condition: `kind` `Ready` with `status` `Full` (v1 `True`), `None` (`False`) or `Unknown`.
    public struct MinionCondition: Codable, Sendable, Equatable {
        public var kind: String?
        public var status: String?
        /// v1 `lastHeartbeatTime`.
        public var lastProbeTime: Timestamp?
        public var lastTransitionTime: Timestamp?
        public var reason: String?
        public var message: String?

        public init(kind: String?, status: String?, lastProbeTime: Timestamp? = nil,
                    lastTransitionTime: Timestamp? = nil, reason: String? = nil, message: String? = nil) {
            self.kind = kind
            self.status = status
            self.lastProbeTime = lastProbeTime
            self.lastTransitionTime = lastTransitionTime
            self.reason = reason
            self.message = message
        }
    }
}
