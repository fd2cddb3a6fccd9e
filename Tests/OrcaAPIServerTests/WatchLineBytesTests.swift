import Foundation
import OrcaAPI
@testable import OrcaAPIServer
import Testing

/// The v1 watch line made from an object's bytes is the line the encoder writes, so a write's
/// response and its watch line can share one encoding.
@Suite struct WatchLineBytesTests {
    static let pod: Pod = {
        var pod = Pod(metadata: ObjectMeta(name: "web-1", namespace: "default", labels: ["app": "web, \"front\""]),
                      spec: PodSpec(containers: [Container(name: "c", image: "busybox")]))
        pod.metadata.resourceVersion = "42"
        return pod
    }()

    @Test(arguments: [APIWatchEventType.added, .modified, .deleted])
    func lineIsWhatTheEncoderWrites(type: APIWatchEventType) {
        let line = WatchLineBytes.line(type: type, object: JSON.encode(Self.pod))
        #expect(line == JSON.encode(WatchLine(type: type.rawValue, object: Self.pod)) + Data([0x0A]))
    }

    @Test func objectComesBackOutOfTheLine() throws {
        let object = JSON.encode(Self.pod)
        let line = WatchLineBytes.line(type: .modified, object: object)
        #expect(WatchLineBytes.object(in: line) == object)
        let decoded = try JSONDecoder().decode(Pod.self, from: try #require(WatchLineBytes.object(in: line)))
        #expect(decoded == Self.pod)
    }

    @Test func otherShapesAreNotSliced() {
        #expect(WatchLineBytes.object(in: Data(#"{"type":"ADDED","object":{}}"#.utf8) + Data([0x0A])) == nil)
        #expect(WatchLineBytes.object(in: Data(#"{"object":{}}"#.utf8)) == nil)
        #expect(WatchLineBytes.object(in: Data()) == nil)
    }
}
