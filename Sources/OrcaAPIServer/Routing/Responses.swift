import Foundation
import Hummingbird
import OrcaAPI

/// Builds HTTP responses: JSON bodies and `Status` errors, in one place.
enum Responses {
    static func json(_ data: Data, status: HTTPResponse.Status = .ok, contentType: String = "application/json")
        -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func json<E: Encodable>(_ value: E, status: HTTPResponse.Status = .ok) -> Response {
        json(JSON.encode(value), status: status)
    }

    static func error(_ error: APIError, version: APIVersion = .v1) -> Response {
        let status = HTTPResponse.Status(code: error.code)
        switch version {
        case .v1: return json(error.status, status: status)
        case .v1beta1: return json(V1Beta1Status(error.status), status: status)
        }
    }
}
