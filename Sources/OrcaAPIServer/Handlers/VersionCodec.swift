import Foundation
import OrcaAPI
import OrcaManifest

/// Another version a kind is served in by conversion (the seed's v1beta1; `events.k8s.io/v1` for
/// events): how its bodies are read and its objects, lists and watch lines written. The store
/// holds only the kind's own version.
struct VersionCodec<T: APIObject>: Sendable {
    var groupVersion: GroupVersion
    /// The resource name in paths of that version (`replicationControllers`, `minions`).
    var resource: String
    var kind: String
    /// A request body of that version, converted (neither defaulted nor validated).
    var decodeBody: @Sendable (Data) throws -> T
    var encodeObject: @Sendable (T) -> Data
    var encodeList: @Sendable (ObjectList<T>) -> Data
    /// The object of a watch line: `{"object": ..., "type": ...}`.
    var encodeWatchLine: @Sendable (APIWatchEventType, T) -> Data
    var encodeStatus: @Sendable (Status) -> Data
    /// The ERROR line a watch ends with when it fails.
    var encodeErrorLine: @Sendable (Status) -> Data
}

extension VersionCodec where T: V1Beta1Convertible {
    /// The seed's v1beta1 shapes of `T`.
    static var v1beta1: VersionCodec<T> {
        VersionCodec(
            groupVersion: .v1beta1, resource: T.v1beta1Resource, kind: T.v1beta1Kind,
            decodeBody: { body in
                if let beta = JSONBody.decode(T.V1Beta1Object.self, from: body, apiVersion: ["v1beta1"],
                                              kind: T.v1beta1Kind, requireMetadata: false) {
                    return try T(v1beta1: beta)
                }
                let object = try ManifestDecoder.object(from: body)
                try BodyTypeMeta.check(object, apiVersion: ["v1beta1"], kind: T.v1beta1Kind)
                let beta = try ManifestDecoder.decode(T.V1Beta1Object.self, from: object)
                return try T(v1beta1: beta)
            },
            encodeObject: { JSON.encode($0.v1beta1) },
            encodeList: { JSON.encode(V1Beta1List<T>($0)) },
            encodeWatchLine: { type, object in
                JSON.encode(WatchLine(type: type.rawValue, object: object.v1beta1)) + Data([0x0A])
            },
            encodeStatus: { JSON.encode(V1Beta1Status($0)) },
            encodeErrorLine: { JSON.encode(WatchLine(type: "ERROR", object: V1Beta1Status($0))) + Data([0x0A]) })
    }
}
