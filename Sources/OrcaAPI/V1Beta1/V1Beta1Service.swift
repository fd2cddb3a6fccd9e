extension V1Beta1 {
    /// A service with one port: `port` on the portal IP forwards to `containerPort` of the pods
    /// matching `selector`.
    public struct Service: V1Beta1.Object {
        public var typeMeta: TypeMeta
        /// Required; v1 `spec.ports[0].port`.
        public var port: Int?
        /// `TCP` (default) or `UDP`.
        public var `protocol`: PortProtocol?
        public var labels: [String: String]?
        public var selector: [String: String]?
        /// `true` asks for type `LoadBalancer` (accepted; treated as a cluster IP).
        public var createExternalLoadBalancer: Bool?
        /// v1 `spec.externalIPs`.
        public var publicIPs: [String]?
        /// The pods' port, a number or a container port name; v1 `spec.ports[0].targetPort`.
        public var containerPort: IntOrString?
        /// The stable service IP (v1 `spec.clusterIP`), allocated by the master unless given.
        public var portalIP: String?
        /// Assigned by the master in Kubernetes 0.5; Orca has none, so it is never sent and input is ignored.
        public var proxyPort: Int?
        /// `None` or `ClientIP`.
        public var sessionAffinity: String?

        public init(typeMeta: TypeMeta = TypeMeta(kind: "Service"), port: Int? = nil,
                    containerPort: IntOrString? = nil, selector: [String: String]? = nil,
                    labels: [String: String]? = nil) {
            self.typeMeta = typeMeta
            self.port = port
            self.containerPort = containerPort
            self.selector = selector
            self.labels = labels
        }

        enum CodingKeys: String, CodingKey {
            case port, `protocol`, labels, selector, createExternalLoadBalancer, publicIPs, containerPort, portalIP
            case proxyPort, sessionAffinity
        }

        public init(from decoder: any Decoder) throws {
            typeMeta = try TypeMeta(from: decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            port = try c.decodeLenientIntIfPresent(forKey: .port)
            `protocol` = try c.decodeIfPresent(PortProtocol.self, forKey: .protocol)
            labels = try c.decodeIfPresent([String: String].self, forKey: .labels)
            selector = try c.decodeIfPresent([String: String].self, forKey: .selector)
            createExternalLoadBalancer = try c.decodeIfPresent(Bool.self, forKey: .createExternalLoadBalancer)
            publicIPs = try c.decodeIfPresent([String].self, forKey: .publicIPs)
            containerPort = try c.decodeIfPresent(IntOrString.self, forKey: .containerPort)
            portalIP = try c.decodeIfPresent(String.self, forKey: .portalIP)
            proxyPort = try c.decodeLenientIntIfPresent(forKey: .proxyPort)
            sessionAffinity = try c.decodeIfPresent(String.self, forKey: .sessionAffinity)
        }

        public func encode(to encoder: any Encoder) throws {
            try typeMeta.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(port, forKey: .port)
            try c.encodeIfPresent(`protocol`, forKey: .protocol)
            try c.encodeIfPresent(labels, forKey: .labels)
            try c.encodeIfPresent(selector, forKey: .selector)
            try c.encodeIfPresent(createExternalLoadBalancer, forKey: .createExternalLoadBalancer)
            try c.encodeIfPresent(publicIPs, forKey: .publicIPs)
            try c.encodeIfPresent(containerPort, forKey: .containerPort)
            try c.encodeIfPresent(portalIP, forKey: .portalIP)
            try c.encodeIfPresent(proxyPort, forKey: .proxyPort)
            try c.encodeIfPresent(sessionAffinity, forKey: .sessionAffinity)
        }
    }
}
