extension ReplicationController: V1Beta1Convertible {
    public static let v1beta1Resource = "replicationControllers"
    public static let v1beta1Kind = "ReplicationController"

    /// `desiredState.replicas`, `replicaSelector` and `podTemplate` become the spec;
    /// `currentState` is ignored (the replication manager writes status).
    public init(v1beta1 rc: V1Beta1.ReplicationController) throws(APIError) {
        let meta = rc.typeMeta.objectMeta(labels: rc.labels, namespaced: true)
        var spec: ReplicationControllerSpec?
        if let desired = rc.desiredState {
            var template: PodTemplateSpec?
            if let podTemplate = desired.podTemplate {
                template = PodTemplateSpec(
                    metadata: ObjectMeta(labels: podTemplate.labels, annotations: podTemplate.annotations),
                    spec: try PodSpec(v1beta1: podTemplate.desiredState, nodeSelector: podTemplate.nodeSelector,
                                      path: FieldPath("desiredState.podTemplate.desiredState")))
            }
            spec = ReplicationControllerSpec(
                replicas: desired.replicas, selector: desired.replicaSelector, template: template)
        }
        self.init(metadata: meta, spec: spec)
    }

    /// The spec as `desiredState`; `currentState.replicas` is `status.replicas`.
    public var v1beta1: V1Beta1.ReplicationController {
        var desired: V1Beta1.ReplicationControllerState?
        if let spec {
            var podTemplate: V1Beta1.PodTemplate?
            if let template = spec.template {
                let podSpec = template.spec ?? PodSpec()
                podTemplate = V1Beta1.PodTemplate(
                    desiredState: podSpec.v1beta1State(id: template.metadata?.name, uuid: nil),
                    labels: template.metadata?.labels, annotations: template.metadata?.annotations,
                    nodeSelector: podSpec.nodeSelector)
            }
            desired = V1Beta1.ReplicationControllerState(
                replicas: spec.replicas, replicaSelector: spec.selector, podTemplate: podTemplate)
        }
        return V1Beta1.ReplicationController(
            typeMeta: V1Beta1.TypeMeta(kind: ReplicationController.v1beta1Kind, metadata: metadata),
            desiredState: desired,
            currentState: V1Beta1.ReplicationControllerState(replicas: status?.replicas ?? 0),
            labels: metadata.labels)
    }
}
