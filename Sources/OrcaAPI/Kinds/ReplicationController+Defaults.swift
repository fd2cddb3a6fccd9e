extension ReplicationController {
    /// Kubernetes v1 defaults: one replica; the selector and the controller's own labels are the
    /// template's labels when unset; the template's pod spec is defaulted like a pod's.
    public mutating func setDefaults() {
        guard var spec else { return }
        if spec.replicas == nil { spec.replicas = 1 }
        let templateLabels = spec.template?.metadata?.labels ?? [:]
        if !templateLabels.isEmpty {
            if spec.selector?.isEmpty ?? true { spec.selector = templateLabels }
            if metadata.labels?.isEmpty ?? true { metadata.labels = templateLabels }
        }
        spec.template?.spec?.setDefaults()
        self.spec = spec
    }
}
