import Foundation
import OrcaAPI

/// The opaque `continue` token of a paged list: the last key returned and the list's revision.
///
/// Later pages read the current state after that key (not a snapshot at the revision); see
/// docs/api.md for why.
enum ContinueToken {
    private struct Payload: Codable {
        var start: String
        var rv: Int64
    }

    static func encode(startAfter key: String, revision: Int64) -> String {
        JSON.encode(Payload(start: key, rv: revision)).base64EncodedString()
    }

    static func decode(_ token: String, prefix: String) throws(APIError) -> String {
        guard let data = Data(base64Encoded: token),
              let payload = try? JSONDecoder().decode(Payload.self, from: data),
              payload.start.hasPrefix(prefix) else {
            throw .badRequest("continue: invalid value \"\(token)\": not a continue token of this list")
        }
        return payload.start
    }
}
