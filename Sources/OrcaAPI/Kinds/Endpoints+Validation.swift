extension Endpoints {
    /// Every problem of endpoints: each subset has addresses with valid IPv4 `ip`s, and valid ports
    /// (named, uniquely, when there are several).
    public func validate() -> [FieldError] {
        var errors = Validation.validateObjectMeta(metadata, namespaced: Endpoints.namespaced)
        for (i, subset) in (subsets ?? []).enumerated() {
            errors += subset.validate(at: FieldPath("subsets").index(i))
        }
        return errors
    }

    public func validateUpdate(from old: Endpoints) -> [FieldError] {
        Validation.validateObjectMetaUpdate(metadata, old.metadata) + validate()
    }
}

extension EndpointSubset {
    public func validate(at path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if (addresses ?? []).isEmpty && (notReadyAddresses ?? []).isEmpty {
            errors.append(.required(path, "Required value: must specify `addresses` or `notReadyAddresses`"))
        }
        for (field, list) in [("addresses", addresses), ("notReadyAddresses", notReadyAddresses)] {
            for (i, address) in (list ?? []).enumerated() {
                errors += address.validate(at: path.child(field).index(i))
            }
        }
        let ports = self.ports ?? []
        var names: Set<String> = []
        for (i, port) in ports.enumerated() {
            let portPath = path.child("ports").index(i)
            let name = port.name ?? ""
            if name.isEmpty {
                if ports.count > 1 { errors.append(.required(portPath.child("name"))) }
            } else {
                for message in Validation.dns1123LabelErrors(name) {
                    errors.append(.invalid(portPath.child("name"), name, message))
                }
                if !names.insert(name).inserted { errors.append(.duplicate(portPath.child("name"), name)) }
            }
            errors += Validation.validatePortNumber(port.port, at: portPath.child("port"))
            errors += Validation.validateProtocol(port.protocol, at: portPath.child("protocol"))
        }
        return errors
    }
}

extension EndpointAddress {
    public func validate(at path: FieldPath) -> [FieldError] {
        var errors = Validation.validateIPv4(ip, at: path.child("ip"))
        if let nodeName, !nodeName.isEmpty {
            for message in Validation.dns1123SubdomainErrors(nodeName) {
                errors.append(.invalid(path.child("nodeName"), nodeName, message))
            }
        }
        return errors
    }
}
