/// Which rule an object's `metadata.name` follows.
public enum NameValidator: Sendable {
    /// Most kinds: `jenkins-slave.v2` (at most 253 characters).
    case dns1123Subdomain
    /// Namespaces: `my-team` (at most 63 characters).
    case dns1123Label
    /// Services, whose names become DNS labels and environment variable names: must start with a letter.
    case dns1035Label

    /// The reasons `name` is invalid; a `prefix` (generateName) may end in '-'.
    public func errors(_ name: String, prefix: Bool = false) -> [String] {
        // Kubernetes' maskTrailingDash: `jenkins-` is a fine prefix for `jenkins-x7k2q`.
        let checked = prefix && name.utf8.count > 1 && name.hasSuffix("-") ? String(name.dropLast()) + "a" : name
        switch self {
        case .dns1123Subdomain: return Validation.dns1123SubdomainErrors(checked)
        case .dns1123Label: return Validation.dns1123LabelErrors(checked)
        case .dns1035Label: return Validation.dns1035LabelErrors(checked)
        }
    }
}

extension Validation {
    /// The largest total size of an object's annotations (keys plus values), as Kubernetes allows.
    public static let totalAnnotationSizeLimit = 256 * 1024

    /// Checks `metadata` of a new object: name (or generateName), namespace, labels, annotations.
    ///
    /// A namespaced object must carry its namespace: the server fills it from the URL before validating.
    public static func validateObjectMeta(
        _ meta: ObjectMeta, namespaced: Bool, nameValidator: NameValidator = .dns1123Subdomain,
        path: FieldPath = "metadata"
    ) -> [FieldError] {
        var errors: [FieldError] = []
        let name = meta.name ?? ""
        let generateName = meta.generateName ?? ""
        if !generateName.isEmpty {
            for message in nameValidator.errors(generateName, prefix: true) {
                errors.append(.invalid(path.child("generateName"), generateName, message))
            }
        }
        if name.isEmpty {
            if generateName.isEmpty {
                errors.append(.required(path.child("name"), "Required value: name or generateName is required"))
            }
        } else {
            for message in nameValidator.errors(name) {
                errors.append(.invalid(path.child("name"), name, message))
            }
        }
        let namespace = meta.namespace ?? ""
        if namespaced {
            if namespace.isEmpty {
                errors.append(.required(path.child("namespace")))
            } else {
                for message in dns1123LabelErrors(namespace) {
                    errors.append(.invalid(path.child("namespace"), namespace, message))
                }
            }
        } else if !namespace.isEmpty {
            errors.append(.forbidden(path.child("namespace"), "not allowed on this type"))
        }
        if let generation = meta.generation, generation < 0 {
            errors.append(.invalid(path.child("generation"), String(generation), nonNegativeMessage))
        }
        errors += validateLabels(meta.labels, at: path.child("labels"))
        errors += validateAnnotations(meta.annotations, at: path.child("annotations"))
        return errors
    }

    /// Checks what an update may not change in `metadata` (name, namespace, uid).
    public static func validateObjectMetaUpdate(
        _ new: ObjectMeta, _ old: ObjectMeta, path: FieldPath = "metadata"
    ) -> [FieldError] {
        var errors: [FieldError] = []
        errors += validateImmutable(new.name ?? "", old.name ?? "", at: path.child("name"))
        errors += validateImmutable(new.namespace ?? "", old.namespace ?? "", at: path.child("namespace"))
        // A client may leave uid out of an update; only a different one is an error.
        if let uid = new.uid, !uid.isEmpty, let oldUID = old.uid, !oldUID.isEmpty {
            errors += validateImmutable(uid, oldUID, at: path.child("uid"))
        }
        return errors
    }

    /// `spec.clusterIP: Invalid value: "10.0.0.9": field is immutable`.
    public static func validateImmutable(_ new: String, _ old: String, at path: FieldPath) -> [FieldError] {
        new == old ? [] : [.invalid(path, new, "field is immutable")]
    }

    /// Label keys must be qualified names and values valid label values; errors are at `path` itself,
    /// naming the bad key or value, as Kubernetes reports them.
    public static func validateLabels(_ labels: [String: String]?, at path: FieldPath) -> [FieldError] {
        guard let labels else { return [] }
        var errors: [FieldError] = []
        for key in labels.keys.sorted() {
            for message in qualifiedNameErrors(key) { errors.append(.invalid(path, key, message)) }
            let value = labels[key] ?? ""
            for message in labelValueErrors(value) { errors.append(.invalid(path, value, message)) }
        }
        return errors
    }

    /// Annotation keys must be qualified names (case-insensitively); all of them together at most 256 KiB.
    public static func validateAnnotations(_ annotations: [String: String]?, at path: FieldPath) -> [FieldError] {
        guard let annotations else { return [] }
        var errors: [FieldError] = []
        var size = 0
        for key in annotations.keys.sorted() {
            for message in qualifiedNameErrors(key.lowercased()) { errors.append(.invalid(path, key, message)) }
            size += key.utf8.count + (annotations[key]?.utf8.count ?? 0)
        }
        if size > totalAnnotationSizeLimit { errors.append(.tooLong(path, totalAnnotationSizeLimit)) }
        return errors
    }

    /// A port number in 1...65535 (callers decide first whether 0 means unset).
    public static func validatePortNumber(_ port: Int, at path: FieldPath) -> [FieldError] {
        isValidPortNumber(port) ? [] : [.invalid(path, String(port), portRangeMessage)]
    }

    /// TCP or UDP; nil is fine (defaulting makes it TCP).
    public static func validateProtocol(_ proto: PortProtocol?, at path: FieldPath) -> [FieldError] {
        guard let proto, !PortProtocol.supported.contains(proto) else { return [] }
        return [.notSupported(path, proto.rawValue, PortProtocol.supported.map(\.rawValue))]
    }

    /// A port name: an IANA service name (`http`).
    public static func validatePortName(_ name: String, at path: FieldPath) -> [FieldError] {
        ianaServiceNameErrors(name).map { .invalid(path, name, $0) }
    }

    /// A dotted-quad IPv4 address.
    public static func validateIPv4(_ address: String, at path: FieldPath) -> [FieldError] {
        isIPv4(address) ? [] : [.invalid(path, address, ipv4Message)]
    }

    public static let nonNegativeMessage = "must be greater than or equal to 0"

    /// An integer that may not be negative (`replicas`, `terminationGracePeriodSeconds`).
    public static func validateNonNegative<N: BinaryInteger>(_ value: N?, at path: FieldPath) -> [FieldError] {
        guard let value, value < 0 else { return [] }
        return [.invalid(path, String(value), nonNegativeMessage)]
    }

    /// A value that must be one of `supported` (nil is fine: defaulting fills it).
    public static func validateOneOf(_ value: String?, _ supported: [String], at path: FieldPath) -> [FieldError] {
        guard let value, !supported.contains(value) else { return [] }
        return [.notSupported(path, value, supported)]
    }

    /// Resource amounts by name (one of `standard`, or a qualified `example.com/gpu`), none negative;
    /// each error is at `path[name]`. `owner` names what they are for in messages (`containers`).
    public static func validateResourceList(
        _ list: [String: Quantity]?, standard: Set<String>, owner: String, at path: FieldPath
    ) -> [FieldError] {
        guard let list else { return [] }
        var errors: [FieldError] = []
        for name in list.keys.sorted() {
            let keyPath = path.key(name)
            for message in qualifiedNameErrors(name) { errors.append(.invalid(keyPath, name, message)) }
            if !name.contains("/") && !standard.contains(name) {
                errors.append(.invalid(keyPath, name, "must be a standard resource for \(owner)"))
            }
            if let quantity = list[name], quantity.milliValue < 0 {
                errors.append(.invalid(keyPath, quantity.text, nonNegativeMessage))
            }
        }
        return errors
    }
}
