extension ReplicationController {
    /// Every problem of a new replication controller: metadata, replicas, selector, and the template
    /// (whose labels must match the selector and whose pods must restart Always).
    public func validate() -> [FieldError] {
        var errors = Validation.validateObjectMeta(metadata, namespaced: ReplicationController.namespaced)
        if let spec {
            errors += spec.validate(at: "spec")
        } else {
            errors.append(.required("spec"))
        }
        return errors
    }

    public func validateUpdate(from old: ReplicationController) -> [FieldError] {
        Validation.validateObjectMetaUpdate(metadata, old.metadata) + validate()
    }
}

extension ReplicationControllerSpec {
    public func validate(at path: FieldPath) -> [FieldError] {
        var errors = Validation.validateNonNegative(replicas, at: path.child("replicas"))
        let selector = self.selector ?? [:]
        if selector.isEmpty {
            errors.append(.required(path.child("selector")))
        } else {
            errors += Validation.validateLabels(selector, at: path.child("selector"))
        }
        if let template {
            errors += template.validate(at: path.child("template"), selector: selector)
        } else {
            errors.append(.required(path.child("template")))
        }
        return errors
    }
}

extension PodTemplateSpec {
    /// The template of a controller with `selector`: its labels must match it, and its pods restart Always
    /// (a controller replaces pods that end; it never lets them stay down).
    public func validate(at path: FieldPath, selector: [String: String]) -> [FieldError] {
        let metaPath = path.child("metadata")
        let labels = metadata?.labels ?? [:]
        var errors = Validation.validateLabels(labels, at: metaPath.child("labels"))
        errors += Validation.validateAnnotations(metadata?.annotations, at: metaPath.child("annotations"))
        if !selector.isEmpty && !LabelSelector(selector).matches(labels) {
            errors.append(.invalid(metaPath.child("labels"), LabelSelector.format(labels),
                                   "selector does not match template labels"))
        }
        guard let spec else {
            errors.append(.required(path.child("spec")))
            return errors
        }
        errors += spec.validate(at: path.child("spec"))
        if let restartPolicy = spec.restartPolicy, restartPolicy != .always {
            errors.append(.notSupported(path.child("spec").child("restartPolicy"), restartPolicy.rawValue,
                                        [RestartPolicy.always.rawValue]))
        }
        return errors
    }
}
