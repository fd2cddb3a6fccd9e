import Testing
@testable import OrcaAPI

@Suite struct SelectorFieldTests {
    let unscheduled = Sample.pod()
    let onMinion1 = Sample.pod {
        $0.spec?.nodeName = "minion-1"
        $0.status = PodStatus(phase: .running)
    }

    @Test func matchesANodeName() throws {
        let selector = try FieldSelector(parsing: "spec.nodeName=minion-1")
        #expect(selector.matches(onMinion1))
        #expect(!selector.matches(unscheduled))
        #expect(selector.requiredValue(for: "spec.nodeName") == "minion-1")
        #expect(selector.requiredValue(for: "metadata.name") == nil)
    }

    @Test func anEmptyValueSelectsUnsetFields() throws {
        let unbound = try FieldSelector(parsing: "spec.nodeName=")
        #expect(unbound.matches(unscheduled))
        #expect(!unbound.matches(onMinion1))
        let bound = try FieldSelector(parsing: "spec.nodeName!=")
        #expect(!bound.matches(unscheduled))
        #expect(bound.matches(onMinion1))
    }

    @Test func everyTermMustHold() throws {
        let selector = try FieldSelector(parsing: "metadata.name==jenkins, status.phase=Running")
        #expect(selector.matches(onMinion1))
        #expect(!selector.matches(unscheduled))
        #expect(selector.description == "metadata.name=jenkins,status.phase=Running")
        #expect(try FieldSelector(parsing: "status.phase=Running,metadata.name=jenkins") == selector)
    }

    @Test func anEmptySelectorMatchesEverything() throws {
        let selector = try FieldSelector(parsing: "")
        #expect(selector.isEmpty)
        #expect(selector.matches(unscheduled))
        #expect(FieldSelector.everything == selector)
    }

    @Test func aFieldTheKindLacksNeverMatches() {
        #expect(!FieldSelector(["spec.host": "x"]).matches(onMinion1))
        #expect(!FieldSelector(requirements: [.init(field: "spec.host", value: "x", negated: true)]).matches(onMinion1))
    }

    @Test(arguments: ["spec.nodeName", "=x", "!=x", "a=b=c", "a=b\\", "a=\\x", "a=b,,c=d", "a=b,", ",a=b", "a===b"])
    func rejectsMalformedText(text: String) {
        let error = #expect(throws: APIError.self) { try FieldSelector(parsing: text) }
        #expect(error?.code == 400)
        #expect(error?.message.contains("invalid field selector") == true)
    }

    @Test func escapesInValues() throws {
        let selector = try FieldSelector(parsing: #"metadata.name=a\,b\=c\\d"#)
        #expect(selector.requirements == [.init(field: "metadata.name", value: #"a,b=c\d"#)])
        #expect(selector.description == #"metadata.name=a\,b\=c\\d"#)
        #expect(try FieldSelector(parsing: selector.description) == selector)
        #expect(try FieldSelector(parsing: "metadata.name=a!b").requirements[0].value == "a!b")
    }

    @Test func unsupportedFieldsAreA400() throws {
        let error = #expect(throws: APIError.self) {
            try FieldSelector(parsing: "spec.host=minion-1").validate(for: Pod.self)
        }
        #expect(error?.message == "field label not supported: spec.host")
        #expect(error?.code == 400)
        #expect(throws: APIError.self) { try FieldSelector(parsing: "spec.nodeName=x", for: Node.self) }
        #expect(throws: APIError.self) { try FieldSelector(parsing: "reason=x", for: Service.self) }
    }

    @Test(arguments: [
        "spec.nodeName=m,status.phase=Running,spec.restartPolicy=Always,status.podIP=,metadata.name=x",
    ])
    func supportedPodFieldsPass(text: String) throws {
        #expect(try FieldSelector(parsing: text, for: Pod.self).requirements.count == 5)
    }

    @Test func supportedFieldsPassForEveryKind() throws {
        let event = "involvedObject.name=jenkins,involvedObject.kind=Pod,reason=Failed,type=Warning"
        #expect(try !FieldSelector(parsing: event, for: Event.self).isEmpty)
        let common = "metadata.name=x,metadata.namespace=default"
        #expect(try !FieldSelector(parsing: common, for: ReplicationController.self).isEmpty)
        #expect(try !FieldSelector(parsing: common, for: Service.self).isEmpty)
        #expect(try !FieldSelector(parsing: common, for: Endpoints.self).isEmpty)
        #expect(try !FieldSelector(parsing: common, for: Node.self).isEmpty)
        #expect(try FieldSelector(parsing: "", for: Pod.self).isEmpty)
    }

    @Test func equalityMapsAreSelectors() {
        let selector = FieldSelector(["spec.nodeName": "minion-1", "metadata.namespace": "default"])
        #expect(selector.description == "metadata.namespace=default,spec.nodeName=minion-1")
        #expect(selector.matches(onMinion1))
    }
}
