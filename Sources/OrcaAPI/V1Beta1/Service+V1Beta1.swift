extension Service: V1Beta1Convertible {
    public static let v1beta1Resource = "services"
    public static let v1beta1Kind = "Service"

    /// The one `port` becomes `spec.ports[0]` (with `protocol` and `containerPort` as its
    /// `targetPort`); `portalIP` the cluster IP; `createExternalLoadBalancer: true` type
    /// `LoadBalancer`. `proxyPort` is ignored.
    public init(v1beta1 service: V1Beta1.Service) throws(APIError) {
        let meta = service.typeMeta.objectMeta(labels: service.labels, namespaced: true)
        var spec = ServiceSpec(
            ports: [ServicePort(protocol: service.protocol, port: service.port ?? 0,
                                targetPort: service.containerPort)],
            selector: service.selector,
            clusterIP: service.portalIP.flatMap { $0.isEmpty ? nil : $0 })
        spec.type = service.createExternalLoadBalancer == true ? "LoadBalancer" : nil
        spec.externalIPs = service.publicIPs
        spec.sessionAffinity = service.sessionAffinity
        self.init(metadata: meta, spec: spec)
    }

    /// Only the first of several ports is visible in v1beta1.
    public var v1beta1: V1Beta1.Service {
        let first = spec?.ports?.first
        var out = V1Beta1.Service(
            typeMeta: V1Beta1.TypeMeta(kind: Service.v1beta1Kind, metadata: metadata),
            port: first?.port, containerPort: first?.targetPort, selector: spec?.selector,
            labels: metadata.labels)
        out.protocol = first?.protocol
        out.portalIP = spec?.clusterIP
        out.createExternalLoadBalancer = spec?.type == "LoadBalancer" ? true : nil
        out.publicIPs = spec?.externalIPs
        out.sessionAffinity = spec?.sessionAffinity
        return out
    }
}
