#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A v1 kind that is also served at `/api/v1beta1/{v1beta1Resource}` by conversion.
///
/// The store holds only v1 objects: the API server decodes a v1beta1 body as `V1Beta1Object`,
/// converts it with ``init(v1beta1:)``, defaults, validates and stores the v1 value, and answers
/// with ``v1beta1`` of what it stored. Input conversion ignores what the server owns
/// (`currentState`), so status never comes in through v1beta1.
public protocol V1Beta1Convertible: APIObject {
    associatedtype V1Beta1Object: Codable & Sendable & Equatable
    /// Path segment under /api/v1beta1: "pods", "replicationControllers", "services", "minions", "endpoints", "events"
    static var v1beta1Resource: String { get }
    /// Kind name in v1beta1 ("Minion" for Node)
    static var v1beta1Kind: String { get }
    /// The v1 value of a v1beta1 object; throws 400 for shapes that cannot convert (an
    /// unsupported volume source, an unknown pull policy, an endpoint that is not `ip:port`).
    init(v1beta1: V1Beta1Object) throws(APIError)
    /// This object in v1beta1 shape, with `kind` and `apiVersion: v1beta1` set.
    var v1beta1: V1Beta1Object { get }
}

extension V1Beta1Convertible {
    /// The v1beta1 JSON of this object (sorted keys, as ``JSON/encode(_:pretty:)`` writes).
    public func v1beta1JSON(pretty: Bool = false) -> Data {
        JSON.encode(v1beta1, pretty: pretty)
    }
}

extension V1Beta1 {
    /// Every kind served under /api/v1beta1, for registering routes.
    public static let kinds: [any V1Beta1Convertible.Type] = [
        OrcaAPI.Pod.self, OrcaAPI.ReplicationController.self, OrcaAPI.Service.self, OrcaAPI.Node.self,
        OrcaAPI.Endpoints.self, OrcaAPI.Event.self,
    ]
}
