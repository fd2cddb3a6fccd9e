import Foundation
import OrcaAPI
@testable import OrcaManifest
import Testing

/// Strategic merge patches as kubectl 1.32 sends them, applied to a Pod with its real schema.
@Suite struct StrategicMergePatchTests {
    static var pod: [String: Any] { object(#"""
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"web","namespace":"default","labels":{"app":"web","tier":"frontend"},
                     "finalizers":["example.com/a","example.com/b"]},
         "spec":{"containers":[
                   {"name":"web","image":"nginx:1",
                    "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
                    "ports":[{"containerPort":80,"protocol":"TCP"}]},
                   {"name":"sidecar","image":"envoy"}],
                 "volumes":[{"name":"data","emptyDir":{}}],
                 "nodeSelector":{"disk":"ssd","zone":"a"}}}
        """#) }

    func patch(_ text: String, _ original: [String: Any] = pod) throws(APIError) -> [String: Any] {
        try StrategicMergePatch.apply(Data(text.utf8), to: original, schema: Kinds.set, root: Kinds.pod)
    }

    func containers(_ pod: [String: Any]) -> [[String: Any]] {
        (pod["spec"] as? [String: Any])?["containers"] as? [[String: Any]] ?? []
    }

    @Test func clientSideApplyMergesContainersByNameAndDeletesWithDirectives() throws {
        // kubectl apply's three-way patch: a changed image, env merged by name with one deleted, a
        // container added and one deleted, the order pinned by $setElementOrder, a label removed.
        let result = try patch(#"""
            {"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"kind\":\"Pod\"}\n"},
                         "labels":{"tier":null}},
             "spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"log"}],
                     "containers":[
                       {"$setElementOrder/env":[{"name":"A"},{"name":"C"}],
                        "env":[{"name":"A","value":"10"},{"name":"C","value":"3"},{"$patch":"delete","name":"B"}],
                        "image":"nginx:2","name":"web"},
                       {"image":"busybox","name":"log"},
                       {"$patch":"delete","name":"sidecar"}]}}
            """#)
        #expect(canonical(result["metadata"]!) == canonical(json: #"""
            {"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"kind\":\"Pod\"}\n"},
             "finalizers":["example.com/a","example.com/b"],"labels":{"app":"web"},"name":"web","namespace":"default"}
            """#))
        #expect(canonical(containers(result)) == canonical(json: #"""
            [{"env":[{"name":"A","value":"10"},{"name":"C","value":"3"}],"image":"nginx:2","name":"web",
              "ports":[{"containerPort":80,"protocol":"TCP"}]},
             {"image":"busybox","name":"log"}]
            """#))
    }

    @Test func setElementOrderReordersContainers() throws {
        // kubectl edit moving sidecar first without changing either.
        let result = try patch(#"{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"web"}]}}"#)
        #expect(containers(result).map { $0["name"] as? String } == ["sidecar", "web"])
        #expect(containers(result)[1]["image"] as? String == "nginx:1")
    }

    @Test func portsMergeByContainerPort() throws {
        let changed = try patch(#"""
            {"spec":{"containers":[{"name":"web","ports":[{"containerPort":80,"name":"http"}]}]}}
            """#)
        #expect(canonical(containers(changed)[0]["ports"]!)
            == canonical(json: #"[{"containerPort":80,"name":"http","protocol":"TCP"}]"#))

        // Without $setElementOrder Kubernetes puts an added element before the live ones after it.
        let added = try patch(#"{"spec":{"containers":[{"name":"web","ports":[{"containerPort":8080}]}]}}"#)
        #expect((containers(added)[0]["ports"] as? [[String: Any]])?.compactMap { $0["containerPort"] as? Int }
            == [8080, 80])
        let ordered = try patch(#"""
            {"spec":{"containers":[{"$setElementOrder/ports":[{"containerPort":80},{"containerPort":8080}],
                                    "name":"web","ports":[{"containerPort":8080}]}]}}
            """#)
        #expect((containers(ordered)[0]["ports"] as? [[String: Any]])?.compactMap { $0["containerPort"] as? Int }
            == [80, 8080])
    }

    @Test func labelAndAnnotatePatches() throws {
        // kubectl label env=prod tier-  and  kubectl annotate note=x
        let result = try patch(#"{"metadata":{"labels":{"env":"prod","tier":null},"annotations":{"note":"x"}}}"#)
        let metadata = try #require(result["metadata"] as? [String: Any])
        #expect(canonical(metadata["labels"]!) == canonical(json: #"{"app":"web","env":"prod"}"#))
        #expect(canonical(metadata["annotations"]!) == canonical(json: #"{"note":"x"}"#))
        #expect(containers(result).count == 2)
    }

    @Test func retainKeysClearsTheOldVolumeSource() throws {
        // kubectl apply changing the volume from emptyDir to hostPath.
        let result = try patch(#"""
            {"spec":{"$setElementOrder/volumes":[{"name":"data"}],
                     "volumes":[{"$retainKeys":["hostPath","name"],"hostPath":{"path":"/srv"},"name":"data"}]}}
            """#)
        let spec = try #require(result["spec"] as? [String: Any])
        #expect(canonical(spec["volumes"]!) == canonical(json: #"[{"hostPath":{"path":"/srv"},"name":"data"}]"#))
    }

    @Test func primitiveSetsMergeAndDeleteFromAParallelList() throws {
        // kubectl edit removing one finalizer and adding another.
        let result = try patch(#"""
            {"metadata":{"$deleteFromPrimitiveList/finalizers":["example.com/a"],
                         "$setElementOrder/finalizers":["example.com/b","example.com/c"],
                         "finalizers":["example.com/c"]}}
            """#)
        let metadata = try #require(result["metadata"] as? [String: Any])
        #expect(metadata["finalizers"] as? [String] == ["example.com/b", "example.com/c"])
        // A plain merge adds without duplicating.
        let merged = try patch(#"{"metadata":{"finalizers":["example.com/b","example.com/z"]}}"#)
        #expect(Set((merged["metadata"] as? [String: Any])?["finalizers"] as? [String] ?? [])
            == ["example.com/a", "example.com/b", "example.com/z"])
    }

    @Test func replaceDirectives() throws {
        let map = try patch(#"{"spec":{"nodeSelector":{"$patch":"replace","zone":"b"}}}"#)
        #expect(canonical((map["spec"] as? [String: Any])?["nodeSelector"] ?? NSNull())
            == canonical(json: #"{"zone":"b"}"#))
        let list = try patch(#"{"spec":{"containers":[{"$patch":"replace"},{"name":"only","image":"x"}]}}"#)
        #expect(canonical(containers(list)) == canonical(json: #"[{"image":"x","name":"only"}]"#))
        let deleted = try patch(#"{"spec":{"nodeSelector":{"$patch":"delete"}}}"#)
        #expect(canonical((deleted["spec"] as? [String: Any])?["nodeSelector"] ?? NSNull()) == "{}")
    }

    @Test func atomicListsAreReplacedAndUnknownFieldsMergeAsJSON() throws {
        let result = try patch(#"""
            {"spec":{"containers":[{"name":"web","command":["sh","-c"]}],
                     "extra":{"a":1,"b":null,"list":[1]}},
             "unknownTop":{"x":{"y":true}}}
            """#, object(#"{"spec":{"containers":[{"name":"web","command":["old"]}],"extra":{"b":2,"list":[0,0]}}}"#))
        #expect(canonical(result) == canonical(json: #"""
            {"spec":{"containers":[{"command":["sh","-c"],"name":"web"}],"extra":{"a":1,"list":[1]}},
             "unknownTop":{"x":{"y":true}}}
            """#))
    }

    @Test func directivesInAddedMembersDoNotReachTheObject() throws {
        let result = try patch(#"""
            {"spec":{"containers":[{"name":"web","env":null,"volumeMounts":[{"mountPath":"/a","name":"data"},
                                                               {"$patch":"delete","mountPath":"/b"}]}]}}
            """#)
        #expect(canonical(containers(result)[0]["volumeMounts"]!)
            == canonical(json: #"[{"mountPath":"/a","name":"data"}]"#))
        #expect(containers(result)[0]["env"] == nil)
    }

    @Test func malformedDirectivesAreRefusedAsKubernetesRefusesThem() {
        func error(_ text: String) -> APIError? { thrown { () throws(APIError) in try patch(text) } }

        let unknownPatchType = error(#"{"spec":{"nodeSelector":{"$patch":"bogus"}}}"#)
        #expect(unknownPatchType?.code == 500)
        #expect(unknownPatchType?.reason == .unknown)
        #expect(unknownPatchType?.message == "unknown patch type: bogus in map: map[$patch:bogus]")

        #expect(error(#"{"spec":{"containers":[{"image":"x"}]}}"#)?.message
            == "map: map[image:x] does not contain declared merge key: name")
        #expect(error(#"{"spec":{"containers":[{"name":"web","$patch":"merge"}]}}"#)?.message
            == "merging lists cannot yet be specified in the patch")

        let retainKeys = error(#"{"spec":{"$retainKeys":"volumes"}}"#)
        #expect(retainKeys?.code == 400)
        #expect(retainKeys?.message == "invalid patch format of retainKeys")
        #expect(error(#"{"spec":{"$retainKeys":["volumes"],"nodeSelector":{"a":"b"}}}"#)?.message
            == "invalid patch format of retainKeys")
        #expect(error(#"{"spec":{"$setElementOrder":[{"name":"web"}]}}"#)?.message
            == "invalid patch format of setElementOrder list")
        #expect(error(#"{"metadata":{"$deleteFromPrimitiveListfinalizers":["a"]}}"#)?.message
            == "invalid patch format of primitive list")
        #expect(error(#"{"spec":{"$setElementOrder/containers":"web"}}"#)?.message
            == "expected a []interface {}, but received a string")

        let listOfLists = thrown { () throws(APIError) in try patch(#"{"spec":{"containers":[["web"]]}}"#, [:]) }
        #expect(listOfLists?.code == 422)
        #expect(listOfLists?.message == "the server rejected our request due to an error in our request")

        let order = error(#"""
            {"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"name":"new","image":"x"}]}}
            """#)
        #expect(order?.message == "The order in patch list:\n[map[image:x name:new]]\n doesn't match "
            + "$setElementOrder list:\n[map[name:web]]\n")

        #expect(error("[1]")?.message
            == "json: cannot unmarshal array into Go value of type map[string]interface {}")
    }

    @Test func aServicePatchMergesPortsByPort() throws {
        let service = object(#"""
            {"spec":{"ports":[{"port":80,"targetPort":8080,"protocol":"TCP"},{"port":443,"protocol":"TCP"}],
                     "selector":{"app":"web"}}}
            """#)
        let result = try StrategicMergePatch.apply(
            object(#"{"spec":{"ports":[{"port":443,"targetPort":8443}],"selector":{"app":"api"}}}"#),
            to: service, schema: Kinds.set, root: Kinds.service)
        #expect(canonical(result) == canonical(json: #"""
            {"spec":{"ports":[{"port":80,"protocol":"TCP","targetPort":8080},
                              {"port":443,"protocol":"TCP","targetPort":8443}],
                     "selector":{"app":"api"}}}
            """#))
    }
}
