import Foundation
import OrcaAPI
@testable import OrcaAPIServer
import Testing

/// A stored object with its resourceVersion spliced in is, byte for byte, the object encoded
/// with that resourceVersion: what watch lines are made of.
@Suite struct ResourceVersionSpliceTests {
    static func expectSpliceMatchesEncoding<T: APIObject>(_ object: T, _ comment: Comment? = nil) throws {
        var stored = object
        stored.setTypeMeta()
        stored.metadata.resourceVersion = nil
        var read = stored
        read.metadata.resourceVersion = "1234567"
        let spliced = try #require(ResourceVersionSplice.insert("1234567", into: JSON.encode(stored)), comment)
        #expect(String(decoding: spliced, as: UTF8.self) == String(decoding: JSON.encode(read), as: UTF8.self),
                comment)
    }

    @Test func podsWithEveryMetadataShape() throws {
        var full = ObjectMeta(name: "web-1", generateName: "web-", namespace: "default",
                              labels: ["app": "web", "tier": "a \"quoted\" {brace} , comma"],
                              annotations: ["note": "uid: not a key \\ backslash"])
        full.uid = "0f8fad5b-d9cb-469f-a165-70867728950e"
        full.generation = 3
        full.creationTimestamp = Timestamp(Date(timeIntervalSince1970: 1_700_000_000))
        full.deletionTimestamp = Timestamp(Date(timeIntervalSince1970: 1_700_000_100))
        full.deletionGracePeriodSeconds = 30
        full.selfLink = "/api/v1/namespaces/default/pods/web-1"
        full.ownerReferences = [OwnerReference(apiVersion: "v1", kind: "ReplicationController", name: "web",
                                               uid: "u", controller: true)]
        var noUID = full
        noUID.uid = nil
        noUID.selfLink = nil
        let spec = PodSpec(containers: [Container(name: "c", image: "busybox", command: ["sh", "-c", "echo }"])],
                           nodeName: "minion-1")
        for meta in [full, noUID, ObjectMeta(), ObjectMeta(name: "only")] {
            try Self.expectSpliceMatchesEncoding(Pod(metadata: meta, spec: spec, status: PodStatus(phase: .running)),
                                                 "\(meta)")
        }
    }

    @Test func otherKinds() throws {
        var meta = ObjectMeta(name: "m", labels: ["a": "b"])
        meta.uid = "u-1"
        try Self.expectSpliceMatchesEncoding(Node(metadata: meta, spec: NodeSpec(podCIDR: "10.244.1.0/24")))
        try Self.expectSpliceMatchesEncoding(Endpoints(metadata: meta, subsets: [EndpointSubset(
            addresses: [EndpointAddress(ip: "10.244.1.5")], ports: [EndpointPort(port: 80, protocol: .tcp)])]))
    }

    @Test func unexpectedShapesAreRefused() {
        #expect(ResourceVersionSplice.insert("1", into: Data(#"{"metadata":{"resourceVersion":"2"}}"#.utf8)) == nil)
        #expect(ResourceVersionSplice.insert("1", into: Data(#"{"kind":"Pod"}"#.utf8)) == nil)
        #expect(ResourceVersionSplice.insert("1", into: Data(#"["metadata"]"#.utf8)) == nil)
        #expect(ResourceVersionSplice.insert("1", into: Data(#"{"metadata":{"name":"x""#.utf8)) == nil)
        #expect(ResourceVersionSplice.insert("1", into: Data()) == nil)
    }
}
