import NIOCore
import NIOPosix
import Testing
@testable import OrcaProxy

/// The TCP path through real sockets on loopback: service IPs 127.77.N.1 (all of 127/8 is local),
/// backends on 127.0.0.3 and 127.0.0.4.
@Suite(.timeLimit(.minutes(1))) struct ServiceProxyTCPTests {
    @Test func connectionsAreBalancedRoundRobin() async throws {
        let a = try await TestBackend.tcp("127.0.0.3", .name("a"))
        let b = try await TestBackend.tcp("127.0.0.4", .name("b"))
        try await withBackends([a, b]) {
            try await withProxy { proxy throws in
                let result = await proxy.apply([.test("web", "127.77.1.1", 20001, [a, b])])
                #expect(result.opened == [ProxyRule.Key(serviceIP: "127.77.1.1", port: 20001, protocol: .tcp)])
                #expect(result.isComplete)
                var answers: [String] = []
                for _ in 0..<6 { answers.append(try await TestClient.request("127.77.1.1", 20001)) }
                #expect(tally(answers) == ["a\n": 3, "b\n": 3])
                // Strictly alternating, not just balanced in the end.
                #expect(answers[0] != answers[1] && answers[1] != answers[2])
            }
        }
    }

    @Test func aDeadEndpointIsSkipped() async throws {
        let a = try await TestBackend.tcp("127.0.0.3", .name("a"))
        let dead = try await TestBackend.tcp("127.0.0.4", .name("dead"))
        await dead.close()  // its port now refuses connections
        try await withBackends([a]) {
            try await withProxy { proxy throws in
                await proxy.apply([.test("web", "127.77.2.1", 20002, [dead, a])])
                var answers: [String] = []
                for _ in 0..<4 { answers.append(try await TestClient.request("127.77.2.1", 20002)) }
                #expect(answers == Array(repeating: "a\n", count: 4))
            }
        }
    }

    @Test func everyEndpointDeadClosesTheClient() async throws {
        let dead = try await TestBackend.tcp("127.0.0.3", .name("dead"))
        await dead.close()
        try await withProxy { proxy throws in
            await proxy.apply([.test("web", "127.77.3.1", 20003, [dead])])
            let answer = try? await TestClient.request("127.77.3.1", 20003)
            #expect((answer ?? "") == "")
        }
    }

    @Test func noEndpointsRejectsConnections() async throws {
        try await withProxy { proxy throws in
            let result = await proxy.apply([.test("empty", "127.77.4.1", 20004, [])])
            #expect(result.opened.count == 1)
            let answer = try? await TestClient.request("127.77.4.1", 20004)
            #expect((answer ?? "") == "")
            #expect(await proxy.connectionCount == 0)
        }
    }

    @Test func endpointsSwapInPlaceKeepingLiveConnections() async throws {
        let a = try await TestBackend.tcp("127.0.0.3", .echo(trailer: "|a"))
        let b = try await TestBackend.tcp("127.0.0.4", .name("b"))
        try await withBackends([a, b]) {
            try await withProxy { proxy throws in
                await proxy.apply([.test("web", "127.77.5.1", 20005, [a])])
                // A connection to a, open across the swap.
                let live = try await TestClient.connect("127.77.5.1", 20005)
                let swapped = try await live.executeThenClose { inbound, outbound in
                    try await outbound.write(ByteBuffer(string: "before,"))
                    var iterator = inbound.makeAsyncIterator()
                    let first = try await iterator.next().map { String(buffer: $0) }

                    let result = await proxy.apply([.test("web", "127.77.5.1", 20005, [b])])
                    #expect(result.updated.count == 1)
                    #expect(result.opened.isEmpty && result.closed.isEmpty)
                    // New connections go to b, none fails.
                    var answers: [String] = []
                    for _ in 0..<4 { answers.append(try await TestClient.request("127.77.5.1", 20005)) }
                    #expect(answers == Array(repeating: "b\n", count: 4))

                    // The old connection still talks to a.
                    try await outbound.write(ByteBuffer(string: "after"))
                    outbound.finish()
                    var rest = ""
                    while let buffer = try await iterator.next() { rest += String(buffer: buffer) }
                    return (first ?? "") + rest
                }
                #expect(swapped == "before,after|a")
            }
        }
    }

    @Test func aRemovedRuleStopsAnswering() async throws {
        let a = try await TestBackend.tcp("127.0.0.3", .name("a"))
        try await withBackends([a]) {
            try await withProxy { proxy throws in
                await proxy.apply([.test("web", "127.77.6.1", 20006, [a])])
                #expect(try await TestClient.request("127.77.6.1", 20006) == "a\n")
                let result = await proxy.apply([])
                #expect(result.closed == [ProxyRule.Key(serviceIP: "127.77.6.1", port: 20006, protocol: .tcp)])
                await #expect(throws: (any Error).self) {
                    _ = try await TestClient.request("127.77.6.1", 20006)
                }
                #expect(await proxy.rules.isEmpty)
            }
        }
    }

    @Test func clientIPAffinityKeepsAClientOnOneEndpoint() async throws {
        let a = try await TestBackend.tcp("127.0.0.3", .name("a"))
        let b = try await TestBackend.tcp("127.0.0.4", .name("b"))
        try await withBackends([a, b]) {
            try await withProxy { proxy throws in
                let affinity = ProxyRule.SessionAffinity.clientIP(timeout: .seconds(10800))
                await proxy.apply([.test("web", "127.77.7.1", 20007, [a, b], affinity: affinity)])
                var first: [String] = []
                var second: [String] = []
                for _ in 0..<4 {
                    first.append(try await TestClient.request("127.77.7.1", 20007, from: "127.0.0.5"))
                    second.append(try await TestClient.request("127.77.7.1", 20007, from: "127.0.0.6"))
                }
                #expect(Set(first).count == 1)
                #expect(Set(second).count == 1)
                // Round-robin still spreads new clients.
                #expect(first[0] != second[0])

                // Its endpoint gone, a client moves to the one left, and stays there.
                let left = first[0] == "a\n" ? b : a
                await proxy.apply([.test("web", "127.77.7.1", 20007, [left], affinity: affinity)])
                let moved = try await TestClient.request("127.77.7.1", 20007, from: "127.0.0.5")
                #expect(moved != first[0])
            }
        }
    }

    @Test func aMebibyteCrossesIntact() async throws {
        let echo = try await TestBackend.tcp("127.0.0.3", .echo(trailer: ""))
        try await withBackends([echo]) {
            try await withProxy { proxy throws in
                await proxy.apply([.test("bulk", "127.77.8.1", 20008, [echo])])
                var generator = SystemRandomNumberGenerator()
                let payload = (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let received = try await withTimeout(30, "1 MiB echoed through the proxy") {
                    try await TestClient.exchange("127.77.8.1", 20008, payload)
                }
                #expect(received.count == payload.count)
                #expect(received == payload)
            }
        }
    }

    @Test func halfCloseReachesTheBackendAndTheAnswerStillComesBack() async throws {
        // The echo backend writes its trailer only once it sees the client's end of input; the
        // client reads it after half-closing.
        let echo = try await TestBackend.tcp("127.0.0.3", .echo(trailer: "|eof seen"))
        try await withBackends([echo]) {
            try await withProxy { proxy throws in
                await proxy.apply([.test("half", "127.77.9.1", 20009, [echo])])
                let answer = try await withTimeout(10, "the answer after a half-close") {
                    try await TestClient.request("127.77.9.1", 20009, "abc")
                }
                #expect(answer == "abc|eof seen")
                // Both sides closed: the proxy holds no connection any more.
                try await waitUntil("the proxied connection closes") { await proxy.connectionCount == 0 }
            }
        }
    }

    @Test func shutdownClosesListenersAndConnections() async throws {
        let echo = try await TestBackend.tcp("127.0.0.3", .echo(trailer: ""))
        try await withBackends([echo]) {
            let proxy = ServiceProxy(logger: quietLogger)
            await proxy.apply([.test("web", "127.77.10.1", 20010, [echo])])
            let live = try await TestClient.connect("127.77.10.1", 20010)
            let ended = try await live.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(string: "x"))
                var iterator = inbound.makeAsyncIterator()
                _ = try await iterator.next()
                await proxy.shutdown()
                // The proxy closed the connection: the stream ends (or resets).
                do {
                    while try await iterator.next() != nil {}
                } catch {}
                return true
            }
            #expect(ended)
            #expect(await proxy.connectionCount == 0)
            #expect(await proxy.rules.isEmpty)
            await #expect(throws: (any Error).self) { _ = try await TestClient.request("127.77.10.1", 20010) }
            let late = await proxy.apply([.test("web", "127.77.10.1", 20010, [echo])])
            #expect(late.failed.count == 1)
        }
    }
}

/// Polls `condition` until it holds; fails with `what` after `seconds`.
func waitUntil(_ what: String, seconds: Int = 10, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw TestTimeout(what: what) }
        try await Task.sleep(for: .milliseconds(10))
    }
}
