import OrcaAPI
import OrcaControllers
import Testing

@Suite("the master's own services")
struct MasterServiceEndpointsTests {
    @Test("kubernetes and kubernetes-ro keep the endpoints the API server writes; others follow their pods")
    func masterServicesAreLeftAlone() {
        let selector = ["component": "apiserver", "provider": "kubernetes"]
        let reconciler = EndpointsReconciler()
        for name in ["kubernetes", "kubernetes-ro"] {
            let service = Service(metadata: ObjectMeta(name: name, namespace: "default"),
                                  spec: ServiceSpec(ports: [ServicePort(port: 443)], selector: selector))
            #expect(EndpointsReconciler.isMasterService(service))
            #expect(reconciler.reconcile(service: service, pods: []) == nil)
        }
        let elsewhere = Service(metadata: ObjectMeta(name: "kubernetes", namespace: "team"),
                                spec: ServiceSpec(ports: [ServicePort(port: 443)], selector: selector))
        #expect(!EndpointsReconciler.isMasterService(elsewhere))
        #expect(reconciler.reconcile(service: elsewhere, pods: []) != nil)
    }
}
