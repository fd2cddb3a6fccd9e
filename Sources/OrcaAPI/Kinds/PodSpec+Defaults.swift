extension PodSpec {
    /// Fills in what Kubernetes v1 defaults: restartPolicy Always, dnsPolicy ClusterFirst, a 30 s grace
    /// period, a volume without a source becomes an emptyDir, and each container's defaults.
    public mutating func setDefaults() {
        if restartPolicy == nil { restartPolicy = .always }
        if dnsPolicy == nil || dnsPolicy == "" { dnsPolicy = "ClusterFirst" }
        if terminationGracePeriodSeconds == nil { terminationGracePeriodSeconds = 30 }
        if var volumes {
            for i in volumes.indices where volumes[i].emptyDir == nil && volumes[i].hostPath == nil {
                volumes[i].emptyDir = EmptyDirVolumeSource()
            }
            self.volumes = volumes
        }
        for i in containers.indices { containers[i].setDefaults() }
    }
}

extension Container {
    /// imagePullPolicy (Always for `:latest` or an untagged image, else IfNotPresent), the termination
    /// message path, and TCP for ports.
    public mutating func setDefaults() {
        if imagePullPolicy == nil, let image, !image.isEmpty {
            let tag = Container.imageTag(of: image)
            imagePullPolicy = tag == nil || tag == "latest" ? .always : .ifNotPresent
        }
        if terminationMessagePath == nil || terminationMessagePath == "" {
            terminationMessagePath = "/dev/termination-log"
        }
        if var ports {
            for i in ports.indices where ports[i].protocol == nil || ports[i].protocol?.rawValue == "" {
                ports[i].protocol = .tcp
            }
            self.ports = ports
        }
    }

    /// The tag of an image reference (`redis:7` -> `7`), `""` when it names only a digest
    /// (`redis@sha256:...`), nil when it has neither (which means `latest`).
    static func imageTag(of image: String) -> String? {
        var reference = Substring(image)
        var hasDigest = false
        if let at = reference.firstIndex(of: "@") {
            reference = reference[..<at]
            hasDigest = true
        }
        // A ':' before the last '/' is a registry port (`localhost:5000/busybox`), not a tag.
        let lastComponent = reference.lastIndex(of: "/").map { reference[reference.index(after: $0)...] } ?? reference
        if let colon = lastComponent.lastIndex(of: ":") {
            return String(lastComponent[lastComponent.index(after: colon)...])
        }
        return hasDigest ? "" : nil
    }
}
