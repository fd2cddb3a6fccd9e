import Foundation
import OrcaAPI

extension V1Beta1Convertible {
    /// Decodes a v1beta1 request body (JSON or YAML) and converts it to v1.
    ///
    /// 400 when the body is malformed, names another `kind` or `apiVersion`, or cannot convert.
    /// The result is neither defaulted nor validated.
    public init(v1beta1Body data: Data) throws(APIError) {
        let object = try ManifestDecoder.object(from: data)
        if let kind = object["kind"] as? String, !kind.isEmpty, kind != Self.v1beta1Kind {
            throw .badRequest("the body is a \(kind), but \(Self.v1beta1Resource) takes a \(Self.v1beta1Kind)")
        }
        if let version = object["apiVersion"] as? String, !version.isEmpty, version != V1Beta1.apiVersion {
            throw .badRequest(
                "the body has apiVersion \(version), but /api/\(V1Beta1.apiVersion) takes \(V1Beta1.apiVersion)")
        }
        try self.init(v1beta1: ManifestDecoder.decode(V1Beta1Object.self, from: object))
    }
}
