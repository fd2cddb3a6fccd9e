import Foundation
import OrcaAPI
@testable import OrcaManifest
import Testing

/// RFC 6902's Appendix A, then Kubernetes' codes and messages.
@Suite struct JSONPatchTests {
    struct Example: Sendable, CustomTestStringConvertible {
        var name: String
        var document: String
        var patch: String
        /// Nil: the patch fails.
        var expected: String?
        var testDescription: String { name }
    }

    static let appendix: [Example] = [
        Example(name: "A.1 adding an object member", document: #"{"foo":"bar"}"#,
                patch: #"[{"op":"add","path":"/baz","value":"qux"}]"#, expected: #"{"baz":"qux","foo":"bar"}"#),
        Example(name: "A.2 adding an array element", document: #"{"foo":["bar","baz"]}"#,
                patch: #"[{"op":"add","path":"/foo/1","value":"qux"}]"#, expected: #"{"foo":["bar","qux","baz"]}"#),
        Example(name: "A.3 removing an object member", document: #"{"baz":"qux","foo":"bar"}"#,
                patch: #"[{"op":"remove","path":"/baz"}]"#, expected: #"{"foo":"bar"}"#),
        Example(name: "A.4 removing an array element", document: #"{"foo":["bar","qux","baz"]}"#,
                patch: #"[{"op":"remove","path":"/foo/1"}]"#, expected: #"{"foo":["bar","baz"]}"#),
        Example(name: "A.5 replacing a value", document: #"{"baz":"qux","foo":"bar"}"#,
                patch: #"[{"op":"replace","path":"/baz","value":"boo"}]"#, expected: #"{"baz":"boo","foo":"bar"}"#),
        Example(name: "A.6 moving a value",
                document: #"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#,
                patch: #"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#,
                expected: #"{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"#),
        Example(name: "A.7 moving an array element", document: #"{"foo":["all","grass","cows","eat"]}"#,
                patch: #"[{"op":"move","from":"/foo/1","path":"/foo/3"}]"#,
                expected: #"{"foo":["all","cows","eat","grass"]}"#),
        Example(name: "A.8 testing a value: success", document: #"{"baz":"qux","foo":["a",2,"c"]}"#,
                patch: #"[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]"#,
                expected: #"{"baz":"qux","foo":["a",2,"c"]}"#),
        Example(name: "A.9 testing a value: error", document: #"{"baz":"qux"}"#,
                patch: #"[{"op":"test","path":"/baz","value":"bar"}]"#, expected: nil),
        Example(name: "A.10 adding a nested member object", document: #"{"foo":"bar"}"#,
                patch: #"[{"op":"add","path":"/child","value":{"grandchild":{}}}]"#,
                expected: #"{"foo":"bar","child":{"grandchild":{}}}"#),
        Example(name: "A.11 ignoring unrecognized elements", document: #"{"foo":"bar"}"#,
                patch: #"[{"op":"add","path":"/baz","value":"qux","xyz":123}]"#,
                expected: #"{"foo":"bar","baz":"qux"}"#),
        Example(name: "A.12 adding to a nonexistent target", document: #"{"foo":"bar"}"#,
                patch: #"[{"op":"add","path":"/baz/bat","value":"qux"}]"#, expected: nil),
        Example(name: "A.14 ~ escape ordering", document: #"{"/":9,"~1":10}"#,
                patch: #"[{"op":"test","path":"/~01","value":10}]"#, expected: #"{"/":9,"~1":10}"#),
        Example(name: "A.15 comparing strings and numbers", document: #"{"/":9,"~1":10}"#,
                patch: #"[{"op":"test","path":"/~01","value":"10"}]"#, expected: nil),
        Example(name: "A.16 adding an array value", document: #"{"foo":["bar"]}"#,
                patch: #"[{"op":"add","path":"/foo/-","value":["abc","def"]}]"#,
                expected: #"{"foo":["bar",["abc","def"]]}"#),
    ]

    @Test(arguments: appendix)
    func rfc6902AppendixA(_ example: Example) throws {
        let document = object(example.document)
        if let expected = example.expected {
            let result = try JSONPatch.apply(Data(example.patch.utf8), to: document)
            #expect(canonical(result) == canonical(json: expected))
        } else {
            let error = thrown { () throws(APIError) in try JSONPatch.apply(Data(example.patch.utf8), to: document) }
            #expect(error?.code == 422)
        }
    }

    @Test func anInvalidPatchDocumentFails() {
        // A.13: a member named twice; whichever `op` the parser keeps, /baz cannot be removed or is added.
        let patch = #"[{"op":"add","path":"/baz","value":"qux","op":"remove"}]"#
        let result = try? JSONPatch.apply(Data(patch.utf8), to: object(#"{"foo":"bar"}"#))
        #expect(result == nil || result?["baz"] as? String == "qux")
    }

    @Test func aFailedOperationIs422WithTheServersMessage() throws {
        let patch = try JSONPatch(data: Data(#"[{"op":"test","path":"/spec/replicas","value":3}]"#.utf8))
        let error = thrown { () throws(APIError) in try patch.apply(to: object(#"{"spec":{"replicas":2}}"#)) }
        #expect(error?.reason == .invalid)
        #expect(error?.code == 422)
        #expect(error?.message == "the server rejected our request due to an error in our request")
        #expect(error?.details?.causes == nil)
    }

    @Test func operationFailuresAreWordedAsEvanphxJSONPatch() throws {
        func failure(_ patch: String, _ document: String) throws -> String? {
            let patch = try JSONPatch(data: Data(patch.utf8))
            do throws(JSONPatch.Failure) {
                _ = try patch.applyOperations(to: object(document))
                return nil
            } catch {
                return error.message
            }
        }
        #expect(try failure(#"[{"op":"add","path":"/spec/foo/bar","value":1}]"#, #"{"spec":{}}"#)
            == #"add operation does not apply: doc is missing path: "/spec/foo/bar": missing value"#)
        #expect(try failure(#"[{"op":"remove","path":"/spec/foo"}]"#, #"{"spec":{}}"#)
            == "error in remove for path: '/spec/foo': Unable to remove nonexistent key: foo: missing value")
        #expect(try failure(#"[{"op":"test","path":"/a","value":2}]"#, #"{"a":1}"#)
            == "testing value /a failed: test failed")
        #expect(try failure(#"[{"op":"frob","path":"/a"}]"#, #"{"a":1}"#) == "Unexpected kind: frob")
        #expect(try failure(#"[{"path":"/a"}]"#, #"{"a":1}"#) == "Unexpected kind: unknown")
    }

    @Test func aBodyThatIsNotAListOfObjectsIs400() {
        let notList = thrown { () throws(APIError) in try JSONPatch(data: Data(#"{"op":"add"}"#.utf8)) }
        #expect(notList?.code == 400)
        #expect(notList?.message == "json: cannot unmarshal object into Go value of type jsonpatch.Patch")
        let notObject = thrown { () throws(APIError) in try JSONPatch(data: Data(#"["add"]"#.utf8)) }
        #expect(notObject?.message == "json: cannot unmarshal string into Go value of type jsonpatch.Operation")
        #expect(thrown { () throws(APIError) in try JSONPatch(data: Data("[{".utf8)) }?.code == 400)
    }

    @Test func moreThanTenThousandOperationsIs413() throws {
        let operation: [String: Any] = ["op": "test", "path": "/a", "value": 1]
        #expect(try JSONPatch(document: Array(repeating: operation, count: 10_000)).count == 10_000)
        let error = thrown { () throws(APIError) in
            try JSONPatch(document: Array(repeating: operation, count: 10_001))
        }
        #expect(error?.code == 413)
        #expect(error?.reason == .tooLarge)
        #expect(error?.message
            == "Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001")
    }

    @Test func kubernetesLeniencies() throws {
        // evanphx/json-patch v4, which the API server uses: replace adds a missing member, negative
        // indices count from the end, a test of a missing member against null passes.
        let document = object(#"{"metadata":{"labels":{"a":"1"}},"list":[1,2,3]}"#)
        let patch = #"""
            [{"op":"replace","path":"/metadata/labels/b","value":"2"},
             {"op":"remove","path":"/list/-1"},
             {"op":"add","path":"/list/-1","value":9},
             {"op":"test","path":"/metadata/labels/missing","value":null},
             {"op":"copy","from":"/metadata/labels","path":"/copied"}]
            """#
        let result = try JSONPatch.apply(Data(patch.utf8), to: document)
        #expect(canonical(result)
            == canonical(json: #"{"copied":{"a":"1","b":"2"},"list":[1,2,9],"metadata":{"labels":{"a":"1","b":"2"}}}"#))
    }

    @Test func patchesAKubernetesObject() throws {
        let pod = object(#"{"metadata":{"name":"web"},"spec":{"containers":[{"name":"web","image":"nginx:1"}]}}"#)
        let patch = #"""
            [{"op":"test","path":"/spec/containers/0/name","value":"web"},
             {"op":"replace","path":"/spec/containers/0/image","value":"nginx:2"},
             {"op":"add","path":"/metadata/labels","value":{"app.kubernetes.io~1name":"x"}},
             {"op":"move","from":"/metadata/labels","path":"/metadata/annotations"}]
            """#
        let result = try JSONPatch.apply(Data(patch.utf8), to: pod)
        #expect(canonical(result) == canonical(json: #"""
            {"metadata":{"annotations":{"app.kubernetes.io~1name":"x"},"name":"web"},
             "spec":{"containers":[{"image":"nginx:2","name":"web"}]}}
            """#))
    }
}
