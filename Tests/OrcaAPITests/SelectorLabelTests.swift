import Testing
@testable import OrcaAPI

@Suite struct SelectorLabelTests {
    @Test(arguments: [
        ("", ""),
        ("   ", ""),
        ("name=jenkins", "name=jenkins"),
        ("name==jenkins", "name=jenkins"),
        (" name = jenkins , tier!=db ", "name=jenkins,tier!=db"),
        ("tier!=db,name=jenkins", "name=jenkins,tier!=db"),
        ("provider=kubernetes,component=apiserver", "component=apiserver,provider=kubernetes"),
        ("env in (prod, staging)", "env in (prod,staging)"),
        ("env in(staging,prod,staging)", "env in (prod,staging)"),
        ("env notin (dev)", "env notin (dev)"),
        ("release", "release"),
        ("!release", "!release"),
        ("! release , name", "name,!release"),
        ("a=", "a="),
        ("a!=,b", "a!=,b"),
        ("a in (x,)", "a in (,x)"),
        ("a in ()", "a in ()"),
        ("a=b, a==b", "a=b"),
        ("a notin ( )", "a notin ()"),
        ("example.com/app=web", "example.com/app=web"),
        ("a=in", "a=in"),
        ("in=x", "in=x"),
        ("notin notin (in)", "notin notin (in)"),
    ])
    func parsesToCanonicalText(text: String, canonical: String) throws {
        let selector = try LabelSelector(parsing: text)
        #expect(selector.description == canonical)
        #expect(selector.isEmpty == canonical.isEmpty)
        #expect(try LabelSelector(parsing: canonical) == selector)
    }

    @Test(arguments: [
        "a in (", "=b", "a in x", "a in (,", "a,", ",a", "a b", "a=b=c", "a=(b)", "!a=b", "!", "a notin",
        "a in (x y)", "(a)", "a in (x", "a in (x))", "a$=b", "a=b$", "a=b c", "a,,b", "-a=b",
        "a=" + String(repeating: "v", count: 64), "a/b/c=d", "a in (x,$)",
    ])
    func rejectsMalformedText(text: String) {
        let error = #expect(throws: APIError.self) { try LabelSelector(parsing: text) }
        #expect(error?.reason == .badRequest)
        #expect(error?.code == 400)
        #expect(error?.message.contains("\"\(text)\"") == true, "the message quotes the selector")
    }

    @Test func errorMessagesSayWhatIsWrong() {
        func message(_ text: String) -> String? {
            do {
                _ = try LabelSelector(parsing: text)
                return nil
            } catch {
                return error.message
            }
        }
        #expect(message("a in (") == "unable to parse label selector \"a in (\" at position 7: "
            + "expected a value, ',' or ')', found end of selector")
        #expect(message("=b") == "unable to parse label selector \"=b\" at position 1: "
            + "expected a label key or '!', found '='")
        #expect(message("a in x") == "unable to parse label selector \"a in x\" at position 6: "
            + "expected '(' to start the set of values, found 'x'")
        #expect(message("a$=b")?.hasPrefix(
            "unable to parse label selector \"a$=b\": key \"a$\": name part must") == true)
    }

    @Test(arguments: [
        ("name=jenkins", ["name": "jenkins"], true),
        ("name=jenkins", ["name": "jenkins", "tier": "ci"], true),
        ("name=jenkins", ["name": "other"], false),
        ("name=jenkins", [:], false),
        ("tier!=db", [:], true),
        ("tier!=db", ["tier": "db"], false),
        ("tier!=db", ["tier": "web"], true),
        ("env in (prod,staging)", ["env": "staging"], true),
        ("env in (prod,staging)", ["env": "dev"], false),
        ("env in (prod,staging)", [:], false),
        ("env notin (dev)", [:], true),
        ("env notin (dev)", ["env": "dev"], false),
        ("env notin (dev)", ["env": "prod"], true),
        ("release", ["release": ""], true),
        ("release", [:], false),
        ("!release", [:], true),
        ("!release", ["release": "1"], false),
        ("a=", ["a": ""], true),
        ("a=", [:], false),
        ("a in ()", ["a": ""], true),
        ("a in ()", ["a": "x"], false),
        ("", [:], true),
        ("", ["any": "thing"], true),
        ("a=1,b=2", ["a": "1", "b": "2"], true),
        ("a=1,b=2", ["a": "1"], false),
        ("a=1,a!=1", ["a": "1"], false),
        ("name=Jenkins", ["name": "jenkins"], false),
    ] as [(String, [String: String], Bool)])
    func matches(text: String, labels: [String: String], expected: Bool) throws {
        #expect(try LabelSelector(parsing: text).matches(labels) == expected)
    }

    @Test func nilLabelsAreNoLabels() throws {
        #expect(try LabelSelector(parsing: "!a").matches(nil))
        #expect(try !LabelSelector(parsing: "a").matches(nil))
        #expect(LabelSelector.everything.matches(nil))
    }

    @Test func equalityMapsAreSelectors() throws {
        let selector = LabelSelector(["provider": "kubernetes", "component": "apiserver"])
        #expect(selector.description == "component=apiserver,provider=kubernetes")
        #expect(selector == (try LabelSelector(parsing: "provider==kubernetes, component=apiserver")))
        #expect(selector.matches(["component": "apiserver", "provider": "kubernetes", "x": "y"]))
        #expect(!selector.matches(["component": "apiserver"]))
        #expect(selector.equalityMap == ["provider": "kubernetes", "component": "apiserver"])
        #expect(try LabelSelector(parsing: "a in (b)").equalityMap == nil)
        #expect(try LabelSelector(parsing: "a=b,a=c").equalityMap == nil)
        #expect(LabelSelector([:]).isEmpty)
        #expect(LabelSelector([:]) == .everything)
    }

    @Test func formatPrintsLabelsAsKubecfgDoes() {
        #expect(LabelSelector.format(["name": "jenkins"]) == "name=jenkins")
        #expect(LabelSelector.format(["provider": "kubernetes", "component": "apiserver"])
            == "component=apiserver,provider=kubernetes")
        #expect(LabelSelector.format([:]) == "")
        #expect(LabelSelector.format(nil) == "")
    }

    @Test func requirementsAreCheckedWhenBuiltDirectly() throws {
        let requirement = try LabelSelector.Requirement(key: "env", operator: .in, values: ["b", "a", "b"])
        #expect(requirement.values == ["a", "b"])
        #expect(throws: APIError.self) { try LabelSelector.Requirement(key: "env", operator: .in, values: []) }
        #expect(throws: APIError.self) {
            try LabelSelector.Requirement(key: "env", operator: .equals, values: ["a", "b"])
        }
        #expect(throws: APIError.self) { try LabelSelector.Requirement(key: "env", operator: .exists, values: ["a"]) }
        #expect(throws: APIError.self) { try LabelSelector.Requirement(key: "bad key", operator: .exists) }
    }
}
