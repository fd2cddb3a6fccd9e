import Foundation
import OrcaAPI
import OrcaManifest

/// The seed's manifests (Tests/OrcaAPITests/Fixtures) and the objects the master makes of them.
enum SeedObjects {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("OrcaAPITests/Fixtures")

    static func fixture(_ name: String) -> URL { fixtures.appendingPathComponent(name) }

    static func data(_ name: String) throws -> Data { try Data(contentsOf: fixture(name)) }

    /// `pod.json` as stored: Pending, not yet bound.
    static func pendingPod() throws -> Pod {
        var pod = try Pod(v1beta1Body: data("pod.json"))
        pod.metadata.namespace = "default"
        pod.status = PodStatus(phase: .pending)
        return pod
    }

    /// `pod.json` once a minion runs it.
    static func runningPod() throws -> Pod {
        var pod = try pendingPod()
        pod.spec?.nodeName = "10.245.2.3"
        pod.status = PodStatus(phase: .running)
        pod.status?.hostIP = "10.245.2.3"
        return pod
    }

    static func controller() throws -> ReplicationController {
        var rc = try ReplicationController(v1beta1Body: data("replication.json"))
        rc.metadata.namespace = "default"
        return rc
    }

    static func service(_ file: String, clusterIP: String) throws -> Service {
        var service = try Service(v1beta1Body: data(file))
        service.metadata.namespace = "default"
        service.spec?.clusterIP = clusterIP
        return service
    }

    /// The services the master publishes about itself.
    static func masterService(_ name: String, port: Int, clusterIP: String) -> Service {
        Service(
            metadata: ObjectMeta(name: name, namespace: "default"),
            spec: ServiceSpec(ports: [ServicePort(protocol: .tcp, port: port)],
                              selector: ["component": "apiserver", "provider": "kubernetes"], clusterIP: clusterIP))
    }
}
