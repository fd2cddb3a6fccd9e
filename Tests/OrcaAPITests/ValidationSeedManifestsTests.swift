import Foundation
import Testing
@testable import OrcaAPI
import OrcaManifest

/// The seed's own manifests must pass defaulting and validation unchanged, as they did in Kubernetes.
@Suite struct ValidationSeedManifestsTests {
    static func fixture(_ file: String) throws -> Any {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(file)
        return try ManifestDecoder.object(from: Data(contentsOf: url))
    }

    /// Converts a v1beta1 fixture, places it in `default` as the server would, defaults and validates it.
    static func errors<T: V1Beta1Convertible>(_ type: T.Type, _ file: String) throws -> [FieldError] {
        var object = try T(v1beta1: ManifestDecoder.decode(T.V1Beta1Object.self, from: fixture(file)))
        if T.namespaced { object.metadata.namespace = "default" }
        object.setDefaults()
        return object.validate()
    }

    @Test func theJenkinsPodIsValid() throws {
        #expect(try Self.errors(Pod.self, "pod.json") == [])
        #expect(try Self.errors(Pod.self, "pod.yaml") == [])
    }

    @Test func theSlaveControllerIsValid() throws {
        #expect(try Self.errors(ReplicationController.self, "replication.json") == [])
    }

    @Test func theServicesAreValid() throws {
        #expect(try Self.errors(Service.self, "service-http.json") == [])
        #expect(try Self.errors(Service.self, "service-slave.json") == [])
    }

    @Test func theV1PodIsValid() throws {
        var pod = try ManifestDecoder.decode(Pod.self, from: Self.fixture("pod-v1.yaml"))
        pod.setDefaults()
        #expect(pod.validate() == [])
    }
}
