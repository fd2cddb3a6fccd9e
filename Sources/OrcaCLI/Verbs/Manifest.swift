import Foundation
import OrcaAPI
import OrcaManifest

/// A `-c` file, read once: its JSON text, which API version it is written for, its name.
///
/// A file is v1beta1 when it says `apiVersion: v1beta1`, or says no apiVersion but has the
/// v1beta1 fields `id` or `desiredState`; otherwise it is v1. Other versions are refused.
struct Manifest {
    enum Version: String {
        case v1
        case v1beta1
    }

    /// The file as JSON (YAML files are converted; JSON files are sent as written).
    var json: Data
    var version: Version
    var kind: String?
    /// `id` (v1beta1) or `metadata.name` (v1); may be empty when the server generates it.
    var name: String?
    /// `namespace` (v1beta1) or `metadata.namespace` (v1), when the file sets one.
    var namespace: String?

    init(data: Data, source: String) throws(APIError) {
        let object: [String: Any]
        do {
            object = try ManifestDecoder.object(from: data)
        } catch {
            throw .badRequest("\(source): \(error.message)")
        }
        let apiVersion = object["apiVersion"] as? String ?? ""
        switch apiVersion {
        case "v1beta1": version = .v1beta1
        case "v1": version = .v1
        case "": version = object["id"] != nil || object["desiredState"] != nil ? .v1beta1 : .v1
        default:
            throw .badRequest("\(source): apiVersion \(apiVersion) is not supported; use v1 or v1beta1")
        }
        kind = object["kind"] as? String
        let metadata = object["metadata"] as? [String: Any]
        switch version {
        case .v1beta1:
            name = object["id"] as? String
            namespace = object["namespace"] as? String
        case .v1:
            name = metadata?["name"] as? String
            namespace = metadata?["namespace"] as? String
        }
        if namespace?.isEmpty == true { namespace = nil }
        let trimmed = data.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        if trimmed.first == UInt8(ascii: "{"), (try? JSONSerialization.jsonObject(with: data)) != nil {
            json = data
        } else {
            json = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? data
        }
    }

    /// The JSON to `PUT`, with the current `resourceVersion` set so the write is a
    /// compare-and-swap (a number at the top in v1beta1, text under `metadata` in v1).
    func withResourceVersion(_ resourceVersion: String?) -> Data {
        guard let resourceVersion, var object = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any]
        else { return json }
        switch version {
        case .v1beta1:
            object["resourceVersion"] = UInt64(resourceVersion).map { $0 as Any } ?? resourceVersion
        case .v1:
            var metadata = object["metadata"] as? [String: Any] ?? [:]
            metadata["resourceVersion"] = resourceVersion
            object["metadata"] = metadata
        }
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? json
    }
}
