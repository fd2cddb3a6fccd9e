import Foundation
import OrcaAPI

/// Who manages a set of fields: a `metadata.managedFields[]` entry without its fields and time
/// (Kubernetes' manager identifier). Appliers are one manager whatever API version they send.
struct ManagerID: Hashable {
    var manager: String
    var operation: String
    /// Only for `Update` entries.
    var apiVersion: String?
    var subresource: String?

    static let apply = "Apply"
    static let update = "Update"

    init(manager: String, operation: String, apiVersion: String?, subresource: String?) {
        self.manager = manager.isEmpty ? "unknown" : manager
        self.operation = operation
        self.apiVersion = operation == Self.apply || apiVersion?.isEmpty == true ? nil : apiVersion
        self.subresource = subresource?.isEmpty == true ? nil : subresource
    }

    /// The identifier as Kubernetes marshals it (`{"manager":"kubectl","operation":"Apply"}`);
    /// conflicts are grouped in its order.
    var identifier: String {
        var members = ["\"manager\":" + JSONValue.jsonString(manager),
                       "\"operation\":" + JSONValue.jsonString(operation)]
        if let apiVersion { members.append("\"apiVersion\":" + JSONValue.jsonString(apiVersion)) }
        if let subresource { members.append("\"subresource\":" + JSONValue.jsonString(subresource)) }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// As conflicts name the manager: `"kubectl-client-side-apply" using v1`.
    var printed: String {
        var out = JSONValue.goQuote(manager)
        if let subresource { out += " with subresource \(JSONValue.goQuote(subresource))" }
        if operation == Self.update { out += " using \(apiVersion ?? "")" }
        return out
    }
}

/// One decoded `metadata.managedFields[]` entry.
struct ManagedEntry {
    var id: ManagerID
    var apiVersion: String
    var fields: FieldSet
    /// RFC 3339; absent until the manager's operation changed the object.
    var time: String?

    var json: [String: Any] {
        var out: [String: Any] = [
            "manager": id.manager, "operation": id.operation, "apiVersion": apiVersion,
            "fieldsType": "FieldsV1", "fieldsV1": fields.fieldsV1,
        ]
        if let time { out["time"] = time }
        if let subresource = id.subresource { out["subresource"] = subresource }
        return out
    }
}

/// The managers of an object by identifier, read from and written to `metadata.managedFields`.
struct ManagedFields {
    var entries: [ManagerID: ManagedEntry] = [:]

    init() {}

    /// Reads entries as Kubernetes' `DecodeManagedFields` does; the message says what is wrong.
    init(decoding list: [[String: Any]]) throws(APIError) {
        for (index, item) in list.enumerated() {
            let operation = item["operation"] as? String ?? ""
            guard operation == ManagerID.apply || operation == ManagerID.update else {
                throw Self.failure("operation must be `Apply` or `Update`")
            }
            let apiVersion = item["apiVersion"] as? String ?? ""
            guard !apiVersion.isEmpty else { throw Self.failure("apiVersion must not be empty") }
            switch item["fieldsType"] as? String ?? "" {
            case "FieldsV1": break
            case "": throw Self.failure("missing fieldsType in managed fields entry \(index)")
            case let other:
                throw Self.failure("invalid fieldsType \(JSONValue.goQuote(other)) in managed fields entry \(index)")
            }
            var fields = FieldSet()
            if let value = item["fieldsV1"] {
                do {
                    fields = try FieldSet(fieldsV1: value)
                } catch {
                    throw Self.failure("error decoding versioned set: \(error.message)")
                }
            }
            let id = ManagerID(manager: item["manager"] as? String ?? "", operation: operation,
                               apiVersion: apiVersion, subresource: item["subresource"] as? String)
            entries[id] = ManagedEntry(id: id, apiVersion: apiVersion, fields: fields, time: item["time"] as? String)
        }
    }

    private static func failure(_ message: String) -> APIError {
        APIError(.unknown, "failed to decode managed fields: \(message)", code: 500)
    }

    var isEmpty: Bool { entries.isEmpty }

    /// The entries as `metadata.managedFields`, in Kubernetes' order: appliers before updaters,
    /// then by time, manager, API version and subresource.
    var encoded: [[String: Any]] {
        func seconds(_ entry: ManagedEntry) -> Int64 {
            entry.time.flatMap(Timestamp.parse).map { Int64($0.timeIntervalSince1970.rounded(.down)) } ?? 0
        }
        let sorted = entries.values.sorted { p, q in
            if p.id.operation != q.id.operation { return p.id.operation < q.id.operation }
            if seconds(p) != seconds(q) { return seconds(p) < seconds(q) }
            if p.id.manager != q.id.manager { return p.id.manager < q.id.manager }
            if p.apiVersion != q.apiVersion { return p.apiVersion < q.apiVersion }
            return (p.id.subresource ?? "") < (q.id.subresource ?? "")
        }
        return sorted.map(\.json)
    }

    mutating func dropEmpty() {
        entries = entries.filter { !$0.value.fields.isEmpty }
    }
}
