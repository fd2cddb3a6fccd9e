@testable import OrcaAPIServer
import Testing

@Suite struct APIRouteTests {
    @Test func parsesV1Paths() {
        #expect(APIRoute.parse("/api/v1/namespaces/default/pods") == .resource(
            ResourcePath(version: .v1, resource: "pods", namespace: "default")))
        #expect(APIRoute.parse("/api/v1/namespaces/ns1/pods/web/status") == .resource(
            ResourcePath(version: .v1, resource: "pods", namespace: "ns1", name: "web", subresource: "status")))
        #expect(APIRoute.parse("/api/v1/pods") == .resource(ResourcePath(version: .v1, resource: "pods")))
        #expect(APIRoute.parse("/api/v1/nodes/m1") == .resource(
            ResourcePath(version: .v1, resource: "nodes", name: "m1")))
        #expect(APIRoute.parse("/api/v1/watch/namespaces/default/pods") == .resource(
            ResourcePath(version: .v1, resource: "pods", namespace: "default", watchPrefix: true)))
    }

    @Test func parsesV1Beta1AndSpecialPaths() {
        #expect(APIRoute.parse("/api/v1beta1/replicationControllers/jenkins-slave") == .resource(
            ResourcePath(version: .v1beta1, resource: "replicationControllers", name: "jenkins-slave")))
        #expect(APIRoute.parse("/api/v1beta1/watch/pods") == .resource(
            ResourcePath(version: .v1beta1, resource: "pods", watchPrefix: true)))
        #expect(APIRoute.parse("/healthz") == .healthz)
        #expect(APIRoute.parse("/version") == .version)
        #expect(APIRoute.parse("/api") == .apiVersions)
        #expect(APIRoute.parse("/api/v1") == .resourceList(.core))
    }

    @Test func parsesGroupsAndOpenAPIPaths() {
        #expect(APIRoute.parse("/apis") == .apiGroups)
        #expect(APIRoute.parse("/apis/events.k8s.io") == .apiGroup("events.k8s.io"))
        #expect(APIRoute.parse("/apis/apps/v1") == .resourceList(GroupVersion("apps", "v1")))
        #expect(APIRoute.parse("/apis/events.k8s.io/v1/namespaces/ns1/events/e1") == .resource(ResourcePath(
            groupVersion: GroupVersion("events.k8s.io", "v1"), resource: "events", namespace: "ns1", name: "e1")))
        #expect(APIRoute.parse("/api/v1/namespaces/ns1/status") == .resource(
            ResourcePath(version: .v1, resource: "namespaces", name: "ns1", subresource: "status")))
        #expect(APIRoute.parse("/openapi/v2") == .openAPIV2)
        #expect(APIRoute.parse("/openapi/v3") == .openAPIV3Index)
        #expect(APIRoute.parse("/openapi/v3/api/v1") == .openAPIV3(.core))
        #expect(APIRoute.parse("/openapi/v3/apis/apps/v1") == .openAPIV3(GroupVersion("apps", "v1")))
    }

    @Test func rejectsUnknownPaths() {
        #expect(APIRoute.parse("/") == nil)
        #expect(APIRoute.parse("/openapi/v4") == nil)
        #expect(APIRoute.parse("/api/v2/pods") == nil)
        #expect(APIRoute.parse("/api/v1/namespaces/default/pods/a/b/c") == nil)
    }
}
