extension Pod {
    /// Every problem of a new pod: its metadata and `spec` (see ``PodSpec/validate(at:)``).
    public func validate() -> [FieldError] {
        var errors = Validation.validateObjectMeta(metadata, namespaced: Pod.namespaced)
        if let spec {
            errors += spec.validate(at: "spec")
        } else {
            errors.append(.required("spec"))
        }
        return errors
    }

    /// Every problem of an update: the new pod must be valid, and of its spec only container images may
    /// change, plus `spec.nodeName` while it is unset (Kubernetes' rule, less the fields Orca lacks).
    public func validateUpdate(from old: Pod) -> [FieldError] {
        var errors = Validation.validateObjectMetaUpdate(metadata, old.metadata)
        errors += validate()
        guard let spec, let oldSpec = old.spec else { return errors }
        let oldNode = oldSpec.nodeName ?? ""
        if !oldNode.isEmpty {
            errors += Validation.validateImmutable(spec.nodeName ?? "", oldNode, at: "spec.nodeName")
        }
        // Apply the allowed changes to the old spec; anything still different was not allowed.
        var allowed = oldSpec
        allowed.nodeName = spec.nodeName
        if allowed.containers.count == spec.containers.count {
            for i in allowed.containers.indices { allowed.containers[i].image = spec.containers[i].image }
        }
        if allowed != spec {
            errors.append(.forbidden("spec", Pod.immutableSpecMessage))
        }
        return errors
    }

    static let immutableSpecMessage =
        "pod updates may not change fields other than `spec.containers[*].image` (and `spec.nodeName` while unset)"
}
