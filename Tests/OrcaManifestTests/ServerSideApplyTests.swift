import Foundation
import OrcaAPI
@testable import OrcaManifest
import Testing

@Suite struct ServerSideApplyTests {
    static let t1 = Date.at("2025-01-02T03:04:05Z")
    static let t2 = Date.at("2025-01-02T04:00:00Z")
    static let t3 = Date.at("2025-01-02T05:00:00Z")

    typealias Result = (object: [String: Any], managedFields: [[String: Any]])

    func applyPod(_ config: String, to live: Result?, manager: String = "kubectl", force: Bool = false,
                  now: Date = t1) throws(APIError) -> Result {
        try ServerSideApply.apply(
            config: object(config), live: live?.object, managedFields: live?.managedFields ?? [], manager: manager,
            force: force, schema: Kinds.set, root: Kinds.pod, now: now)
    }

    func applyRC(_ config: String, to live: Result?, manager: String, force: Bool = false,
                 now: Date = t1) throws(APIError) -> Result {
        try ServerSideApply.apply(
            config: object(config), live: live?.object, managedFields: live?.managedFields ?? [], manager: manager,
            force: force, schema: Kinds.set, root: Kinds.rc, now: now)
    }

    func updateRC(_ old: Result?, to new: String, manager: String, now: Date = t1) -> Result {
        var object = object(new)
        let entries = ServerSideApply.update(
            old: old?.object, new: object, managedFields: old?.managedFields ?? [], manager: manager,
            schema: Kinds.set, root: Kinds.rc, now: now)
        var metadata = object["metadata"] as? [String: Any] ?? [:]
        metadata["managedFields"] = entries
        object["metadata"] = metadata
        return (object, entries)
    }

    func entry(_ result: Result, _ manager: String) -> [String: Any]? {
        result.managedFields.first { $0["manager"] as? String == manager }
    }

    func fields(_ result: Result, _ manager: String) throws -> String? {
        guard let entry = entry(result, manager), let value = entry["fieldsV1"] else { return nil }
        return try FieldSet(fieldsV1: value).fieldsV1JSON
    }

    func spec(_ result: Result) -> [String: Any] { result.object["spec"] as? [String: Any] ?? [:] }

    static let pod = #"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default","labels":{"app":"web"}},
         "spec":{"containers":[{"name":"web","image":"nginx:1","ports":[{"containerPort":80}]}]}}
        """#

    static let podFields = #"{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"#
        + #""k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"#
        + #""k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}}}}"#

    @Test func createByApply() throws {
        let created = try applyPod(Self.pod, to: nil)
        #expect(created.managedFields.count == 1)
        let applier = try #require(entry(created, "kubectl"))
        #expect(applier["operation"] as? String == "Apply")
        #expect(applier["apiVersion"] as? String == "v1")
        #expect(applier["time"] as? String == "2025-01-02T03:04:05Z")
        #expect(applier["fieldsType"] as? String == "FieldsV1")
        #expect(applier["subresource"] == nil)
        #expect(try fields(created, "kubectl") == Self.podFields)

        var withoutEntries = created.object
        var metadata = try #require(withoutEntries["metadata"] as? [String: Any])
        #expect(metadata["managedFields"] as? [[String: Any]] != nil)
        metadata.removeValue(forKey: "managedFields")
        withoutEntries["metadata"] = metadata
        #expect(canonical(withoutEntries) == canonical(json: Self.pod))
    }

    @Test func reapplyingUnchangedChangesNothing() throws {
        let created = try applyPod(Self.pod, to: nil)
        let again = try applyPod(Self.pod, to: created, now: Self.t2)
        #expect(canonical(again.object) == canonical(created.object))
        #expect(entry(again, "kubectl")?["time"] as? String == "2025-01-02T03:04:05Z")
    }

    @Test func applyRemovesAFieldItOwnedAndNoLongerApplies() throws {
        let created = try applyPod(Self.pod, to: nil)
        let config = #"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default"},
             "spec":{"containers":[{"name":"web","image":"nginx:1"}]}}
            """#
        let applied = try applyPod(config, to: created, now: Self.t2)
        let metadata = try #require(applied.object["metadata"] as? [String: Any])
        #expect(metadata["labels"] == nil)
        let containers = try #require(spec(applied)["containers"] as? [[String: Any]])
        #expect(containers.count == 1 && containers[0]["ports"] == nil)
        #expect(try fields(applied, "kubectl")
            == #"{"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:name":{}}}}}"#)
        #expect(entry(applied, "kubectl")?["time"] as? String == "2025-01-02T04:00:00Z")
    }

    static let rc = #"{"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"web"},"#

    @Test func twoManagersShareAFieldAndItStaysWhileEitherAppliesIt() throws {
        let a = try applyRC(Self.rc + #""spec":{"replicas":3,"selector":{"app":"web"}}}"#, to: nil, manager: "a")
        let b = try applyRC(Self.rc + #""spec":{"replicas":3}}"#, to: a, manager: "b", now: Self.t2)
        #expect(try fields(b, "a") == #"{"f:spec":{"f:replicas":{},"f:selector":{"f:app":{}}}}"#)
        #expect(try fields(b, "b") == #"{"f:spec":{"f:replicas":{}}}"#)
        // b changed nothing, so its entry has no time.
        #expect(entry(b, "b")?["time"] == nil)

        let aDrops = try applyRC(Self.rc + #""spec":{"selector":{"app":"web"}}}"#, to: b, manager: "a", now: Self.t3)
        #expect(spec(aDrops)["replicas"] as? Int == 3)
        #expect(try fields(aDrops, "a") == #"{"f:spec":{"f:selector":{"f:app":{}}}}"#)
        let bare = #"{"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"web"}}"#
        let bDrops = try applyRC(bare, to: aDrops, manager: "b", now: Self.t3)
        #expect(spec(bDrops)["replicas"] == nil)
        #expect(entry(bDrops, "b") == nil)
    }

    @Test func aChangeToAnotherAppliersFieldConflicts() throws {
        let a = try applyRC(Self.rc + #""spec":{"replicas":3,"selector":{"app":"web"}}}"#, to: nil, manager: "a")
        let error = thrown { () throws(APIError) in
            try applyRC(Self.rc + #""spec":{"replicas":5}}"#, to: a, manager: "b")
        }
        #expect(error?.code == 409)
        #expect(error?.reason == .conflict)
        #expect(error?.message == #"Apply failed with 1 conflict: conflict with "a": .spec.replicas"#)
        #expect(error?.details?.causes == [
            StatusCause(reason: "FieldManagerConflict", message: #"conflict with "a""#, field: ".spec.replicas"),
        ])
        #expect(error?.details?.name == nil && error?.details?.kind == nil)
    }

    @Test func forceTakesOwnership() throws {
        let a = try applyRC(Self.rc + #""spec":{"replicas":3,"selector":{"app":"web"}}}"#, to: nil, manager: "a")
        let b = try applyRC(Self.rc + #""spec":{"replicas":5}}"#, to: a, manager: "b", force: true, now: Self.t2)
        #expect(spec(b)["replicas"] as? Int == 5)
        #expect(try fields(b, "a") == #"{"f:spec":{"f:selector":{"f:app":{}}}}"#)
        #expect(try fields(b, "b") == #"{"f:spec":{"f:replicas":{}}}"#)
        // a may now drop the field without removing it: b owns it.
        let aDrops = try applyRC(Self.rc + #""spec":{"selector":{"app":"web"}}}"#, to: b, manager: "a")
        #expect(spec(aDrops)["replicas"] as? Int == 5)
    }

    @Test func updateThenApplyConflictsWithTheUpdater() throws {
        let created = updateRC(nil, to: #"""
            {"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"web","labels":{"app":"web"}},
             "spec":{"replicas":1,"selector":{"app":"web"}}}
            """#, manager: "kubectl-client-side-apply")
        let updater = try #require(entry(created, "kubectl-client-side-apply"))
        #expect(updater["operation"] as? String == "Update")
        #expect(updater["time"] as? String == "2025-01-02T03:04:05Z")
        #expect(try fields(created, "kubectl-client-side-apply")
            == #"{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"#
                + #""f:spec":{"f:replicas":{},"f:selector":{".":{},"f:app":{}}}}"#)

        let one = thrown { () throws(APIError) in
            try applyRC(Self.rc + #""spec":{"replicas":2}}"#, to: created, manager: "ci")
        }
        #expect(one?.message
            == #"Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .spec.replicas"#)
        #expect(one?.details?.causes?.first?.message == #"conflict with "kubectl-client-side-apply" using v1"#)

        let two = thrown { () throws(APIError) in
            try applyRC(#"""
                {"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"web","labels":{"app":"api"}},
                 "spec":{"replicas":2}}
                """#, to: created, manager: "ci")
        }
        #expect(two?.message == "Apply failed with 2 conflicts: "
            + "conflicts with \"kubectl-client-side-apply\" using v1:\n- .metadata.labels.app\n- .spec.replicas")
        #expect(two?.details?.causes?.map(\.field) == [".metadata.labels.app", ".spec.replicas"])
    }

    @Test func conflictsWithSeveralManagersAreGroupedByManager() throws {
        let created = updateRC(nil, to: Self.rc + #""spec":{"replicas":1}}"#, manager: "b-updater")
        let labelled = try applyRC(#"""
            {"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"web","labels":{"x":"1"}}}
            """#, to: created, manager: "a-applier", now: Self.t2)
        let error = thrown { () throws(APIError) in
            try applyRC(#"""
                {"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"web","labels":{"x":"2"}},
                 "spec":{"replicas":2}}
                """#, to: labelled, manager: "c")
        }
        #expect(error?.message == "Apply failed with 2 conflicts: conflicts with \"a-applier\":\n- .metadata.labels.x\n"
            + "conflicts with \"b-updater\" using v1:\n- .spec.replicas")
        #expect(error?.details?.causes == [
            StatusCause(reason: "FieldManagerConflict", message: #"conflict with "a-applier""#,
                        field: ".metadata.labels.x"),
            StatusCause(reason: "FieldManagerConflict", message: #"conflict with "b-updater" using v1"#,
                        field: ".spec.replicas"),
        ])
        // Appliers sort before updaters.
        #expect(labelled.managedFields.map { $0["manager"] as? String } == ["a-applier", "b-updater"])
    }

    @Test func anUpdateTakesTheFieldsItChangesFromOtherManagers() throws {
        let created = try applyPod(Self.pod, to: nil)
        var edited = created.object
        var spec = spec(created)
        var containers = spec["containers"] as! [[String: Any]]
        containers[0]["image"] = "nginx:2"
        spec["containers"] = containers
        edited["spec"] = spec
        let entries = ServerSideApply.update(
            old: created.object, new: edited, managedFields: created.managedFields, manager: "kubectl-edit",
            schema: Kinds.set, root: Kinds.pod, now: Self.t2)
        let after: Result = (ServerSideApply.withManagedFields(edited, entries), entries)
        #expect(try fields(after, "kubectl-edit")
            == #"{"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{"f:image":{}}}}}"#)
        #expect(try fields(after, "kubectl")?.contains("f:image") == false)

        let error = thrown { () throws(APIError) in try applyPod(Self.pod, to: after, now: Self.t3) }
        #expect(error?.message == "Apply failed with 1 conflict: conflict with \"kubectl-edit\" using v1: "
            + #".spec.containers[name="web"].image"#)
    }

    @Test func theFirstApplyToAnUnmanagedObjectConflictsWithItsExistingFields() throws {
        let live: Result = (object(#"""
            {"apiVersion":"v1","kind":"ReplicationController",
             "metadata":{"name":"web","uid":"u1","resourceVersion":"7"},"spec":{"replicas":1}}
            """#), [])
        let error = thrown { () throws(APIError) in
            try applyRC(Self.rc + #""spec":{"replicas":2}}"#, to: live, manager: "ci")
        }
        #expect(error?.message
            == #"Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .spec.replicas"#)
        let same = try applyRC(Self.rc + #""spec":{"replicas":1}}"#, to: live, manager: "ci")
        #expect(same.managedFields.map { $0["manager"] as? String } == ["ci", "before-first-apply"])
        // An update to an object nobody manages leaves it untracked.
        #expect(ServerSideApply.update(old: live.object, new: live.object, managedFields: [], manager: "x",
                                       schema: Kinds.set, root: Kinds.rc).isEmpty)
    }

    @Test func statusAndServerSetMetadataAreNotOwned() throws {
        let config = #"""
            {"apiVersion":"v1","kind":"Pod",
             "metadata":{"name":"web","uid":"u","resourceVersion":"1","generation":2,
                         "creationTimestamp":"2025-01-01T00:00:00Z"},
             "spec":{"nodeName":"n1"},"status":{"phase":"Running"}}
            """#
        let created = try applyPod(config, to: nil)
        #expect(try fields(created, "kubectl") == #"{"f:spec":{"f:nodeName":{}}}"#)
        let onStatus = ServerSideApply.update(
            old: created.object, new: object(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},"#
                + #""spec":{"nodeName":"n1"},"status":{"phase":"Failed"}}"#),
            managedFields: created.managedFields, manager: "kubelet", schema: Kinds.set, root: Kinds.pod)
        #expect(onStatus.count == 1)
        let viaSubresource = ServerSideApply.update(
            old: created.object, new: object(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},"#
                + #""spec":{"nodeName":"n1"},"status":{"phase":"Failed"}}"#),
            managedFields: created.managedFields, manager: "kubelet", schema: Kinds.set, root: Kinds.pod,
            subresource: "status")
        let kubelet = try #require(viaSubresource.first { $0["manager"] as? String == "kubelet" })
        #expect(kubelet["subresource"] as? String == "status")
        #expect(try FieldSet(fieldsV1: kubelet["fieldsV1"]!).fieldsV1JSON == #"{"f:status":{"f:phase":{}}}"#)
    }

    @Test func aConfigurationMayNotSetManagedFields() {
        let error = thrown { () throws(APIError) in
            try applyPod(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","managedFields":[]}}"#, to: nil)
        }
        #expect(error?.code == 400)
        #expect(error?.message == "metadata.managedFields must be nil")
        let duplicate = thrown { () throws(APIError) in
            try applyPod(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"ns"},"#
                + #""spec":{"containers":[{"name":"a"},{"name":"a"}]}}"#, to: nil)
        }
        #expect(duplicate?.code == 500)
        #expect(duplicate?.message == #"failed to create typed patch object (ns/web; /v1, Kind=Pod): "#
            + #".spec.containers: duplicate entries for key [name="a"]"#)
    }

    @Test func applyMergesKeyedListsKeepingTheConfigurationsOrder() throws {
        let created = try applyPod(Self.pod, to: nil)
        let other = try applyPod(#"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default"},
             "spec":{"containers":[{"name":"sidecar","image":"envoy"}]}}
            """#, to: created, manager: "mesh", now: Self.t2)
        let names = (spec(other)["containers"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["web", "sidecar"])
        let image = (spec(other)["containers"] as? [[String: Any]])?.first?["image"] as? String
        #expect(image == "nginx:1")
        #expect(try fields(other, "mesh")
            == #"{"f:spec":{"f:containers":{"k:{\"name\":\"sidecar\"}":{".":{},"f:image":{},"f:name":{}}}}}"#)
    }
}
