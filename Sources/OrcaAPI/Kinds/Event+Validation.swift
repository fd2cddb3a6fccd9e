extension Event {
    public static let supportedTypes = ["Normal", "Warning"]

    /// Every problem of an event (kept light, as events are written by components, not users): metadata,
    /// the involved object's namespace (when it has one) matching the event's, the type, the count.
    public func validate() -> [FieldError] {
        var errors = Validation.validateObjectMeta(metadata, namespaced: Event.namespaced)
        if let namespace = involvedObject.namespace, !namespace.isEmpty, namespace != (metadata.namespace ?? "") {
            errors.append(.invalid("involvedObject.namespace", namespace, "does not match event.namespace"))
        }
        errors += Validation.validateOneOf(type, Event.supportedTypes, at: "type")
        errors += Validation.validateNonNegative(count, at: "count")
        return errors
    }

    public func validateUpdate(from old: Event) -> [FieldError] {
        Validation.validateObjectMetaUpdate(metadata, old.metadata) + validate()
    }
}
