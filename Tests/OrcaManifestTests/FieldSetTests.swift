import Foundation
import OrcaAPI
@testable import OrcaManifest
import Testing

/// `fieldsV1` as Kubernetes writes it: parsing then serializing gives the same text.
@Suite struct FieldSetTests {
    /// What a v1.32 API server records for `kubectl run web --image=nginx --port=80` and for a
    /// finalizer set, a list addressed by index, and a key with escaped text.
    static let recorded: [String] = [
        #"{"f:metadata":{"f:labels":{".":{},"f:run":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"#
            + #""f:image":{},"f:imagePullPolicy":{},"f:name":{},"f:ports":{".":{},"#
            + #""k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{},"f:protocol":{}}},"#
            + #""f:resources":{},"f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},"f:dnsPolicy":{},"#
            + #""f:enableServiceLinks":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},"#
            + #""f:terminationGracePeriodSeconds":{}}}"#,
        #"{"f:metadata":{"f:finalizers":{".":{},"v:\"example.com/a\"":{},"v:\"example.com/b\"":{}}}}"#,
        #"{"f:spec":{"f:list":{"i:0":{"f:a":{}},"i:2":{},"i:10":{}}}}"#,
        #"{"f:metadata":{"f:annotations":{"f:a\u003cb":{}}},"f:spec":{"f:ports":{"#
            + #""k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:port":{}},"#
            + #""k:{\"port\":443,\"protocol\":\"UDP\"}":{}}}}"#,
        "{}",
    ]

    @Test(arguments: recorded)
    func parseThenSerializeGivesTheSameJSON(_ text: String) throws {
        let set = try FieldSet(fieldsV1JSON: Data(text.utf8))
        #expect(set.fieldsV1JSON == text)
        #expect(canonical(set.fieldsV1) == canonical(json: text))
        #expect(try FieldSet(fieldsV1: set.fieldsV1) == set)
    }

    @Test func membersChildrenAndPaths() throws {
        let set = try FieldSet(fieldsV1JSON: Data(Self.recorded[0].utf8))
        let web = PathElement.key([KeyField("name", .string("web"))])
        #expect(set.contains(FieldPath([.field("spec"), .field("containers"), web])))
        #expect(set.contains(FieldPath([.field("spec"), .field("containers"), web, .field("image")])))
        #expect(!set.contains(FieldPath(fields: "spec")))
        #expect(!set.contains(FieldPath(fields: "spec", "containers")))
        #expect(set.paths.first?.description == ".metadata.labels")
        let port = #".spec.containers[name="web"].ports[containerPort=80,protocol="TCP"].protocol"#
        #expect(set.paths.contains { $0.description == port })
        #expect(FieldPath([.field("metadata"), .field("finalizers"), .value(.string("example.com/a"))]).description
            == #".metadata.finalizers[="example.com/a"]"#)
        #expect(FieldPath([.field("list"), .index(3)]).description == ".list[3]")
    }

    @Test func setOperations() {
        let a = FieldSet([FieldPath(fields: "spec", "replicas"), FieldPath(fields: "spec", "selector", "app")])
        let b = FieldSet([FieldPath(fields: "spec", "replicas"), FieldPath(fields: "spec")])
        #expect(a.intersection(b).paths == [FieldPath(fields: "spec", "replicas")])
        #expect(a.subtracting(b).paths == [FieldPath(fields: "spec", "selector", "app")])
        #expect(a.union(b).paths.map(\.description) == [".spec", ".spec.replicas", ".spec.selector.app"])
        #expect(a.removingPrefixes(of: FieldSet([FieldPath(fields: "spec")])).isEmpty)
        #expect(FieldSet().isEmpty && FieldSet().fieldsV1JSON == "{}")
    }

    @Test func unknownElementTypesAreSkippedAndBadKeysRefused() throws {
        let set = try FieldSet(fieldsV1: value(#"{"f:a":{},"z:future":{},"f:b":{"x:y":{}}}"#))
        #expect(set.paths.map(\.description) == [".a", ".b"])
        #expect(throws: APIError.self) { try FieldSet(fieldsV1: value(#"{"f":{}}"#)) }
        #expect(throws: APIError.self) { try FieldSet(fieldsV1: value(#"{"fx":{}}"#)) }
        #expect(throws: APIError.self) { try FieldSet(fieldsV1: value(#"{"k:notjson":{}}"#)) }
    }

    @Test func anObjectsFieldsFollowItsSchema() throws {
        let pod = object(#"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","labels":{"app":"web"},"finalizers":["x"]},
             "spec":{"containers":[{"name":"web","image":"nginx","command":["sh"],"ports":[{"containerPort":80}],
                                    "resources":{}}],
                     "nodeSelector":{"disk":"ssd"},"unknown":{"a":[1,2]}}}
            """#)
        let set = try ServerSideApply.fieldSet(of: pod, schema: Kinds.set, root: Kinds.pod)
        #expect(set.fieldsV1JSON == #"{"f:apiVersion":{},"f:kind":{},"f:metadata":{"f:finalizers":{"v:\"x\"":{}},"#
            + #""f:labels":{"f:app":{}},"f:name":{}},"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"#
            + #""f:command":{},"f:image":{},"f:name":{},"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{"#
            + #"".":{},"f:containerPort":{}}},"f:resources":{}}},"f:nodeSelector":{"f:disk":{}},"#
            + #""f:unknown":{".":{},"f:a":{}}}}"#)

        let duplicate = object(#"{"spec":{"containers":[{"name":"a"},{"name":"a"}]}}"#)
        let error = thrown { () throws(APIError) in
            try ServerSideApply.fieldSet(of: duplicate, schema: Kinds.set, root: Kinds.pod)
        }
        #expect(error?.message.hasSuffix(#".spec.containers: duplicate entries for key [name="a"]"#) == true)
        let keyless = object(#"{"spec":{"containers":[{"image":"a"}]}}"#)
        let missing = thrown { () throws(APIError) in
            try ServerSideApply.fieldSet(of: keyless, schema: Kinds.set, root: Kinds.pod)
        }
        #expect(missing?.message.hasSuffix(#".spec.containers: element 0: associative list with keys has an element "#
            + #"that omits key field "name" (and doesn't have default value)"#) == true)
    }
}
