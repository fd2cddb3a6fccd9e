import Testing
@testable import OrcaProxy

/// `apply` reconciling many listeners at once.
@Suite(.timeLimit(.minutes(1))) struct ServiceProxyReconcileTests {
    /// 200 services on 127.78.X.Y:20100, each over the same two backends (its own rotation).
    func rules(count: Int, _ backends: [TestBackend]) -> [ProxyRule] {
        (0..<count).map { i in .test("svc\(i)", "127.78.\(i / 200).\(i % 200 + 1)", 20100, backends) }
    }

    @Test func manyRulesOpenSwapAndCloseTogether() async throws {
        let a = try await TestBackend.tcp("127.0.0.3", .name("a"))
        let b = try await TestBackend.tcp("127.0.0.4", .name("b"))
        try await withBackends([a, b]) {
            try await withProxy { proxy throws in
                let initial = rules(count: 200, [a])
                let opened = await proxy.apply(initial)
                #expect(opened.opened.count == 200)
                #expect(opened.isComplete)
                #expect(try await TestClient.request("127.78.0.1", 20100) == "a\n")
                #expect(try await TestClient.request("127.78.0.200", 20100) == "a\n")

                // The same set again: nothing to do.
                let same = await proxy.apply(initial.reversed())
                #expect(same.opened.isEmpty && same.updated.isEmpty && same.closed.isEmpty)

                // Every service's endpoints change, half of the services go.
                let next = Array(rules(count: 100, [b]))
                let changed = await proxy.apply(next)
                #expect(changed.updated.count == 100)
                #expect(changed.closed.count == 100)
                #expect(changed.opened.isEmpty)
                #expect(try await TestClient.request("127.78.0.1", 20100) == "b\n")
                await #expect(throws: (any Error).self) { _ = try await TestClient.request("127.78.0.200", 20100) }
                #expect(await proxy.rules.count == 100)
            }
        }
    }

    @Test func aListenerThatCannotBindIsReportedAndRetriedByTheNextApply() async throws {
        let a = try await TestBackend.tcp("127.0.0.3", .name("a"))
        // Something else holds the port.
        let squatter = try await TestBackend.tcp("127.79.0.1", .name("squatter"), port: 20200)
        try await withBackends([a]) {
            try await withProxy { proxy throws in
                let rule = ProxyRule.test("web", "127.79.0.1", 20200, [a])
                let first = await proxy.apply([rule])
                #expect(first.failed.keys.map { $0 } == [rule.key])
                #expect(first.opened.isEmpty)
                await squatter.close()
                let second = await proxy.apply([rule])
                #expect(second.opened == [rule.key])
                #expect(try await TestClient.request("127.79.0.1", 20200) == "a\n")
            }
        }
    }

    @Test func conflictingRulesAndBadAddressesAreReportedNotFatal() async throws {
        try await withProxy { proxy throws in
            let result = await proxy.apply([
                ProxyRule(name: "first", serviceIP: "127.79.1.1", port: 20201, endpoints: []),
                ProxyRule(name: "second", serviceIP: "127.79.1.1", port: 20201,
                          endpoints: [.init(ip: "nonsense", port: 1), .init(ip: "127.0.0.3", port: 99999)]),
                ProxyRule(name: "bad", serviceIP: "not-an-ip", port: 80, endpoints: []),
                ProxyRule(name: "port", serviceIP: "127.79.1.2", port: 0, endpoints: []),
            ])
            #expect(result.opened.count == 1)
            #expect(result.conflicts.map(\.name) == ["second"])
            #expect(result.failed.count == 2)
            #expect(await proxy.rules.values.map(\.name) == ["first"])
        }
    }

    @Test func concurrentAppliesRunInCallOrder() async throws {
        try await withProxy { proxy throws in
            let one = [ProxyRule(name: "one", serviceIP: "127.79.2.1", port: 20202, endpoints: [])]
            let two = [ProxyRule(name: "two", serviceIP: "127.79.2.2", port: 20202, endpoints: [])]
            async let first = proxy.apply(one)
            async let second = proxy.apply(two)
            _ = await (first, second)
            // Whatever order the two calls reached the proxy in, it holds exactly one of the sets.
            let names = await proxy.rules.values.map(\.name)
            #expect(names == ["one"] || names == ["two"])
            await proxy.apply(two)
            #expect(await proxy.rules.values.map(\.name) == ["two"])
        }
    }
}
