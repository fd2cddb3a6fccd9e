extension Service {
    public static let supportedTypes = ["ClusterIP", "NodePort", "LoadBalancer"]
    public static let supportedSessionAffinities = ["ClientIP", "None"]

    /// Every problem of a new service. Service names must be DNS-1035 labels (start with a letter):
    /// they become DNS names and `{NAME}_SERVICE_HOST` variables.
    public func validate() -> [FieldError] {
        var errors = Validation.validateObjectMeta(metadata, namespaced: Service.namespaced,
                                                   nameValidator: .dns1035Label)
        if let spec {
            errors += spec.validate(at: "spec")
        } else {
            errors.append(.required("spec"))
        }
        return errors
    }

    /// An update must be valid, and `spec.clusterIP` may not change once set.
    public func validateUpdate(from old: Service) -> [FieldError] {
        var errors = Validation.validateObjectMetaUpdate(metadata, old.metadata) + validate()
        if let oldIP = old.spec?.clusterIP, !oldIP.isEmpty {
            errors += Validation.validateImmutable(spec?.clusterIP ?? "", oldIP, at: "spec.clusterIP")
        }
        return errors
    }
}

extension ServiceSpec {
    /// Whether the service has no virtual IP (`clusterIP: None`), only endpoints.
    public var isHeadless: Bool { clusterIP == "None" }

    public func validate(at path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let ports = self.ports ?? []
        if ports.isEmpty && !isHeadless {
            errors.append(.required(path.child("ports")))
        }
        var names: Set<String> = []
        var portKeys: Set<String> = []
        for (i, port) in ports.enumerated() {
            let portPath = path.child("ports").index(i)
            errors += port.validate(at: portPath, requireName: ports.count > 1, type: type)
            if let name = port.name, !name.isEmpty, !names.insert(name).inserted {
                errors.append(.duplicate(portPath.child("name"), name))
            }
            let key = "\(port.port)/\((port.protocol ?? .tcp).rawValue)"
            if !portKeys.insert(key).inserted { errors.append(.duplicate(portPath, key)) }
        }
        errors += Validation.validateLabels(selector, at: path.child("selector"))
        if let clusterIP, !clusterIP.isEmpty, !isHeadless, !Validation.isIPv4(clusterIP) {
            errors.append(.invalid(path.child("clusterIP"), clusterIP, "must be empty, 'None', or a valid IP address"))
        }
        errors += Validation.validateOneOf(sessionAffinity, Service.supportedSessionAffinities,
                                           at: path.child("sessionAffinity"))
        errors += Validation.validateOneOf(type, Service.supportedTypes, at: path.child("type"))
        for (i, ip) in (externalIPs ?? []).enumerated() {
            errors += Validation.validateIPv4(ip, at: path.child("externalIPs").index(i))
        }
        return errors
    }
}

extension ServicePort {
    /// One port of a service of `type`; a name is required when the service has several ports.
    public func validate(at path: FieldPath, requireName: Bool, type: String?) -> [FieldError] {
        var errors: [FieldError] = []
        let name = self.name ?? ""
        if name.isEmpty {
            if requireName { errors.append(.required(path.child("name"))) }
        } else {
            for message in Validation.dns1123LabelErrors(name) {
                errors.append(.invalid(path.child("name"), name, message))
            }
        }
        errors += Validation.validateProtocol(`protocol`, at: path.child("protocol"))
        errors += Validation.validatePortNumber(port, at: path.child("port"))
        switch targetPort {
        case .int(let number)?:
            // 0 is unset: defaulting makes it `port`.
            if number != 0 { errors += Validation.validatePortNumber(number, at: path.child("targetPort")) }
        case .string(let portName)?:
            errors += Validation.validatePortName(portName, at: path.child("targetPort"))
        case nil:
            break
        }
        if let nodePort, nodePort != 0 {
            if type == nil || type == "ClusterIP" {
                errors.append(.forbidden(path.child("nodePort"), "may not be used when `type` is 'ClusterIP'"))
            } else {
                errors += Validation.validatePortNumber(nodePort, at: path.child("nodePort"))
            }
        }
        return errors
    }
}
