extension Service {
    /// Kubernetes v1 defaults: ports TCP with `targetPort` = `port`, sessionAffinity None, type ClusterIP.
    public mutating func setDefaults() {
        guard var spec else { return }
        if var ports = spec.ports {
            for i in ports.indices {
                if ports[i].protocol == nil || ports[i].protocol?.rawValue == "" { ports[i].protocol = .tcp }
                if ports[i].targetPort == nil || ports[i].targetPort == .int(0) || ports[i].targetPort == .string("") {
                    ports[i].targetPort = .int(ports[i].port)
                }
            }
            spec.ports = ports
        }
        if spec.sessionAffinity == nil || spec.sessionAffinity == "" { spec.sessionAffinity = "None" }
        if spec.type == nil || spec.type == "" { spec.type = "ClusterIP" }
        self.spec = spec
    }
}
