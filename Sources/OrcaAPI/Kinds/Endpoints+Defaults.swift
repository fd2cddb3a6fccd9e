extension Endpoints {
    /// Ports are TCP unless they say otherwise.
    public mutating func setDefaults() {
        guard var subsets else { return }
        for i in subsets.indices {
            guard var ports = subsets[i].ports else { continue }
            for j in ports.indices where ports[j].protocol == nil || ports[j].protocol?.rawValue == "" {
                ports[j].protocol = .tcp
            }
            subsets[i].ports = ports
        }
        self.subsets = subsets
    }
}
