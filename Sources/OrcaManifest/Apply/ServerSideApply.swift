import Foundation
import OrcaAPI

/// Server-side apply (`application/apply-patch+yaml`) and the field ownership every write
/// records, as Kubernetes' field manager and structured-merge-diff do.
///
/// ```
/// apply:  config ─merge→ live ─prune fields the applier dropped─→ compare(live, merged)
///                                     changed fields owned by others → 409 unless force
/// update: compare(old, new) → the writer takes what it changed, others lose it
/// ```
///
/// Ownership lives in `metadata.managedFields` entries (`manager`, `operation` `Apply` or
/// `Update`, `apiVersion`, `time`, `fieldsType: FieldsV1`, `fieldsV1`, `subresource`). Type meta,
/// `metadata.name`, `namespace`, `uid`, `resourceVersion`, `generation`, `creationTimestamp`,
/// `selfLink` and `managedFields` are never owned, nor are the reset fields (``resetFields(subresource:)``:
/// `status` on the main resource). Pure and synchronous.
public enum ServerSideApply {
    /// The fields Kubernetes strips from every manager's set (its `stripMetaManager`).
    public static let strippedFields = FieldSet([
        FieldPath(fields: "apiVersion"), FieldPath(fields: "kind"), FieldPath(fields: "metadata"),
        FieldPath(fields: "metadata", "name"), FieldPath(fields: "metadata", "namespace"),
        FieldPath(fields: "metadata", "creationTimestamp"), FieldPath(fields: "metadata", "selfLink"),
        FieldPath(fields: "metadata", "uid"), FieldPath(fields: "metadata", "clusterName"),
        FieldPath(fields: "metadata", "generation"), FieldPath(fields: "metadata", "managedFields"),
        FieldPath(fields: "metadata", "resourceVersion"),
    ])

    /// The fields a write through `subresource` may not set, so nobody owns them: `status` for the
    /// main resource, `spec` for `status`.
    public static func resetFields(subresource: String?) -> FieldSet {
        FieldSet([FieldPath(fields: subresource == "status" ? "spec" : "status")])
    }

    /// Kubernetes' manager for the fields an object had before its first apply.
    static let beforeFirstApply = "before-first-apply"

    /// Applies `config` for `manager` to `live` (nil: the object is created).
    ///
    /// `managedFields` are the live object's `metadata.managedFields`. Returns the object, with
    /// `metadata.managedFields` set to the returned entries (or absent when there are none).
    /// Throws 409 Conflict when the configuration changes a field another manager owns and
    /// `force` is false, with one `FieldManagerConflict` cause per field; 400 when the
    /// configuration sets `metadata.managedFields`; and, as Kubernetes does, a 500 without a
    /// reason when the configuration or the managed fields cannot be read.
    public static func apply(
        config: [String: Any], live: [String: Any]?, managedFields: [[String: Any]], manager: String,
        force: Bool, schema: SchemaSet, root: String, subresource: String? = nil, now: Date = Date()
    ) throws(APIError) -> (object: [String: Any], managedFields: [[String: Any]]) {
        if let metadata = config["metadata"] as? [String: Any], let fields = metadata["managedFields"],
           JSONValue.kind(fields) != .null {
            throw .badRequest("metadata.managedFields must be nil")
        }
        let node = SchemaNode.root(schema, root)
        let reset = resetFields(subresource: subresource)
        let liveObject = withoutManagedFields(live ?? [:])
        let version = config["apiVersion"] as? String ?? live?["apiVersion"] as? String ?? "v1"
        var managers = try ManagedFields(decoding: managedFields)
        if live != nil && managers.isEmpty {
            // Kubernetes gives the fields of an object never applied to before to an updater.
            managers = recordUpdate(old: nil, new: liveObject, managers: managers, manager: beforeFirstApply,
                                    version: live?["apiVersion"] as? String ?? version, subresource: subresource,
                                    reset: reset, node: node, now: now) ?? managers
        }

        let configSet: FieldSet
        do {
            configSet = try ObjectWalk.fieldSet(config, node, rejectDuplicates: true).removingPrefixes(of: reset)
        } catch {
            throw APIError(.unknown, "failed to create typed patch object (\(describe(config))): \(error.message)",
                           code: 500)
        }
        let id = ManagerID(manager: manager, operation: ManagerID.apply, apiVersion: nil, subresource: subresource)
        let lastSet = managers.entries[id]?.fields
        managers.entries[id] = ManagedEntry(id: id, apiVersion: version, fields: configSet,
                                            time: managers.entries[id]?.time)

        let merged: [String: Any]
        let comparison: ObjectWalk.Comparison
        do {
            let mergedValue = try ObjectWalk.merge(liveObject, config, node) as? [String: Any] ?? [:]
            let cleaned = JSONValue.droppingNulls(mergedValue) as! [String: Any]
            merged = prune(cleaned, managers: managers, lastSet: lastSet, node: node)
            comparison = try ObjectWalk.compare(liveObject, merged, node).excluding(reset)
        } catch {
            throw APIError(.unknown, "failed to create typed live object (\(describe(config))): \(error.message)",
                           code: 500)
        }

        let changed = comparison.modified.union(comparison.added)
        var conflicts: [(ManagerID, FieldSet)] = []
        for (other, entry) in managers.entries where other != id {
            let owned = entry.fields.intersection(changed)
            if !owned.isEmpty { conflicts.append((other, owned)) }
        }
        if !force && !conflicts.isEmpty { throw conflictError(conflicts) }
        for (other, owned) in conflicts {
            managers.entries[other]!.fields = managers.entries[other]!.fields.subtracting(owned)
        }
        for other in managers.entries.keys where other != id {
            managers.entries[other]!.fields = managers.entries[other]!.fields.subtracting(comparison.removed)
        }
        managers.entries[id]!.fields = managers.entries[id]!.fields.subtracting(strippedFields)
        managers.dropEmpty()

        let isChange = !JSONValue.equal(liveObject, merged)
        if isChange, managers.entries[id] != nil { managers.entries[id]!.time = Timestamp(now).description }
        let encoded = managers.encoded
        return (withManagedFields(isChange ? merged : liveObject, encoded), encoded)
    }

    /// The managed fields after a write that is not an apply (create, update, patch) took `old`
    /// (nil: a create) to `new`, for `manager`: it takes the fields it changed, which other
    /// managers lose, and fields that went lose their owners.
    ///
    /// `managedFields` are the live object's entries; as in Kubernetes, entries the request body
    /// sets in `new` win, and an empty list (or one empty entry) resets them. An existing object
    /// nobody manages stays untracked. Never throws: when the objects cannot be compared, the
    /// entries come back unchanged.
    public static func update(
        old: [String: Any]?, new: [String: Any], managedFields: [[String: Any]], manager: String,
        schema: SchemaSet, root: String, subresource: String? = nil, now: Date = Date()
    ) -> [[String: Any]] {
        var managers = (try? ManagedFields(decoding: managedFields)) ?? ManagedFields()
        if subresource == nil, let sent = (new["metadata"] as? [String: Any])?["managedFields"] as? [Any] {
            if sent.isEmpty || (sent.count == 1 && (sent[0] as? [String: Any])?.isEmpty == true) {
                managers = ManagedFields()
            } else if let entries = sent as? [[String: Any]], let decoded = try? ManagedFields(decoding: entries),
                      !decoded.isEmpty {
                managers = decoded
            }
        }
        let hasUID = ((old?["metadata"] as? [String: Any])?["uid"] as? String).map { !$0.isEmpty } ?? false
        if managers.isEmpty && old != nil && hasUID { return [] }
        let version = new["apiVersion"] as? String ?? old?["apiVersion"] as? String ?? "v1"
        guard let updated = recordUpdate(
            old: old.map(withoutManagedFields), new: withoutManagedFields(new), managers: managers, manager: manager,
            version: version, subresource: subresource, reset: resetFields(subresource: subresource),
            node: SchemaNode.root(schema, root), now: now)
        else { return managedFields }
        return updated.encoded
    }

    /// The fields `object` sets, as an apply of it would own them (before stripping).
    public static func fieldSet(
        of object: [String: Any], schema: SchemaSet, root: String
    ) throws(APIError) -> FieldSet {
        do {
            return try ObjectWalk.fieldSet(object, SchemaNode.root(schema, root), rejectDuplicates: true)
        } catch {
            throw APIError(.unknown, "failed to create typed object (\(describe(object))): \(error.message)", code: 500)
        }
    }

    // MARK: Steps

    /// Kubernetes' `Updater.Update` run as the "current-operation" manager, then merged into `manager`.
    static func recordUpdate(
        old: [String: Any]?, new: [String: Any], managers: ManagedFields, manager: String, version: String,
        subresource: String?, reset: FieldSet, node: SchemaNode, now: Date
    ) -> ManagedFields? {
        guard let comparison = try? ObjectWalk.compare(old ?? [:], new, node).excluding(reset) else { return nil }
        var managers = managers
        let changed = comparison.modified.union(comparison.added)
        for id in managers.entries.keys {
            managers.entries[id]!.fields = managers.entries[id]!.fields.subtracting(changed)
                .subtracting(comparison.removed)
        }
        managers.dropEmpty()
        let taken = changed.removingPrefixes(of: reset).subtracting(strippedFields)
        guard !taken.isEmpty else { return managers }
        let id = ManagerID(manager: manager, operation: ManagerID.update, apiVersion: version, subresource: subresource)
        let previous = managers.entries[id]?.fields ?? FieldSet()
        managers.entries[id] = ManagedEntry(id: id, apiVersion: version, fields: taken.union(previous),
                                            time: Timestamp(now).description)
        return managers
    }

    /// Removes what the applier owned last time and no longer applies, unless another manager
    /// owns it (structured-merge-diff's `prune`, `addBackOwnedItems` and `addBackDanglingItems`).
    static func prune(
        _ merged: [String: Any], managers: ManagedFields, lastSet: FieldSet?, node: SchemaNode
    ) -> [String: Any] {
        guard let lastSet, !lastSet.isEmpty else { return merged }
        func named(_ set: FieldSet) -> FieldSet { ObjectWalk.withNamedFieldsAsMembers(set, node) }
        func fields(_ object: [String: Any]) -> FieldSet {
            named((try? ObjectWalk.fieldSet(object, node, rejectDuplicates: false)) ?? FieldSet())
        }
        func removing(_ set: FieldSet, from object: [String: Any]) -> [String: Any] {
            ObjectWalk.removing(set, from: object, node) as? [String: Any] ?? [:]
        }
        let last = named(lastSet)
        let managed = named(managers.entries.values.reduce(FieldSet()) { $0.union($1.fields) })
        let mergedSet = fields(merged)
        let pruned = removing(last, from: merged)
        let ownedBack = removing(mergedSet.subtracting(fields(pruned).union(managed)), from: merged)
        return removing(mergedSet.subtracting(fields(ownedBack)).intersection(last), from: merged)
    }

    /// 409 as Kubernetes' `NewConflictError` words it: managers in identifier order, each
    /// manager's fields in path order.
    static func conflictError(_ conflicts: [(ManagerID, FieldSet)]) -> APIError {
        let grouped = conflicts.sorted { $0.0.identifier < $1.0.identifier }.map { ($0.0, $0.1.paths) }
        let causes = grouped.flatMap { id, paths in
            paths.map { StatusCause(reason: "FieldManagerConflict", message: "conflict with \(id.printed)",
                                    field: $0.description) }
        }
        let message: String
        if causes.count == 1, let (id, paths) = grouped.first {
            message = "Apply failed with 1 conflict: conflict with \(id.printed): \(paths[0])"
        } else {
            let lines = grouped.flatMap { id, paths in ["conflicts with \(id.printed):"] + paths.map { "- \($0)" } }
            message = "Apply failed with \(causes.count) conflicts: " + lines.joined(separator: "\n")
        }
        return APIError(.conflict, message, details: StatusDetails(causes: causes))
    }

    // MARK: Objects

    static func withoutManagedFields(_ object: [String: Any]) -> [String: Any] {
        guard var metadata = object["metadata"] as? [String: Any], metadata["managedFields"] != nil else {
            return object
        }
        var out = object
        metadata.removeValue(forKey: "managedFields")
        out["metadata"] = metadata
        return out
    }

    static func withManagedFields(_ object: [String: Any], _ entries: [[String: Any]]) -> [String: Any] {
        var out = object
        var metadata = object["metadata"] as? [String: Any] ?? [:]
        if entries.isEmpty {
            metadata.removeValue(forKey: "managedFields")
        } else {
            metadata["managedFields"] = entries
        }
        out["metadata"] = metadata
        return out
    }

    /// `namespace/name; group/version, Kind=Kind`, as Kubernetes names an object in apply errors.
    static func describe(_ object: [String: Any]) -> String {
        let metadata = object["metadata"] as? [String: Any] ?? [:]
        let apiVersion = object["apiVersion"] as? String ?? ""
        let groupVersion = apiVersion.contains("/") ? apiVersion : "/" + apiVersion
        return "\(metadata["namespace"] as? String ?? "")/\(metadata["name"] as? String ?? ""); "
            + "\(groupVersion), Kind=\(object["kind"] as? String ?? "")"
    }
}
