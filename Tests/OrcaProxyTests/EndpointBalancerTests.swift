import Testing
@testable import OrcaProxy

@Suite struct EndpointBalancerTests {
    let start = ContinuousClock.now

    @Test func roundRobinRotatesTheFirstChoiceAndOffersTheRestInOrder() {
        var balancer = EndpointBalancer(endpoints: ["a", "b", "c"], affinityTimeout: nil)
        #expect(balancer.candidates(client: "1", now: start) == ["a", "b", "c"])
        #expect(balancer.candidates(client: "1", now: start) == ["b", "c", "a"])
        #expect(balancer.candidates(client: "2", now: start) == ["c", "a", "b"])
        #expect(balancer.candidates(client: nil, now: start) == ["a", "b", "c"])
    }

    @Test func noEndpointsNoCandidates() {
        var balancer = EndpointBalancer<String>(endpoints: [], affinityTimeout: .seconds(10))
        #expect(balancer.candidates(client: "1", now: start).isEmpty)
    }

    @Test func anUpdateContinuesTheRotationWithinTheNewList() {
        var balancer = EndpointBalancer(endpoints: ["a", "b", "c"], affinityTimeout: nil)
        _ = balancer.candidates(client: nil, now: start)
        _ = balancer.candidates(client: nil, now: start)
        balancer.update(endpoints: ["x", "y"], affinityTimeout: nil)
        // next was 2; within two endpoints that is index 0.
        #expect(balancer.candidates(client: nil, now: start).first == "x")
        #expect(balancer.candidates(client: nil, now: start).first == "y")
    }

    @Test func affinityKeepsAClientOnItsEndpointUntilItExpires() {
        var balancer = EndpointBalancer(endpoints: ["a", "b"], affinityTimeout: .seconds(60))
        let first = balancer.candidates(client: "10.0.0.1", now: start)
        #expect(first == ["a", "b"])
        balancer.connected(client: "10.0.0.1", to: "a", now: start)
        // Another client takes b; the first keeps a, also after the rotation moved on.
        #expect(balancer.candidates(client: "10.0.0.2", now: start).first == "b")
        #expect(balancer.candidates(client: "10.0.0.1", now: start + .seconds(30)).first == "a")
        #expect(balancer.candidates(client: "10.0.0.1", now: start + .seconds(60)).first == "a")
        // Seen last at start: past the timeout, round-robin decides again (next is a: not sticky).
        #expect(balancer.candidates(client: "10.0.0.1", now: start + .seconds(61)).first == "a")
        #expect(balancer.candidates(client: "10.0.0.1", now: start + .seconds(62)).first == "b")
    }

    @Test func affinityFollowsAFailover() {
        var balancer = EndpointBalancer(endpoints: ["a", "b"], affinityTimeout: .seconds(60))
        let order = balancer.candidates(client: "c", now: start)
        // a refused; the proxy reached b.
        balancer.connected(client: "c", to: order[1], now: start)
        for _ in 0..<3 { #expect(balancer.candidates(client: "c", now: start).first == "b") }
    }

    @Test func affinityToARemovedEndpointIsDropped() {
        var balancer = EndpointBalancer(endpoints: ["a", "b", "c"], affinityTimeout: .seconds(60))
        balancer.connected(client: "1", to: "a", now: start)
        balancer.connected(client: "2", to: "b", now: start)
        balancer.update(endpoints: ["b", "c"], affinityTimeout: .seconds(60))
        #expect(balancer.affinityCount == 1)
        #expect(balancer.candidates(client: "2", now: start).first == "b")
        balancer.update(endpoints: ["b", "c"], affinityTimeout: nil)
        #expect(balancer.affinityCount == 0)
    }

    @Test func withoutAffinityNothingIsRemembered() {
        var balancer = EndpointBalancer(endpoints: ["a", "b"], affinityTimeout: nil)
        balancer.connected(client: "1", to: "a", now: start)
        #expect(balancer.affinityCount == 0)
        #expect(balancer.candidates(client: "1", now: start).first == "a")
        #expect(balancer.candidates(client: "1", now: start).first == "b")
    }

    @Test func expiredAffinitiesAreSweptEventually() {
        var balancer = EndpointBalancer(endpoints: ["a"], affinityTimeout: .seconds(1))
        for i in 0..<4095 { balancer.connected(client: "old\(i)", to: "a", now: start) }
        #expect(balancer.affinityCount == 4095)
        balancer.connected(client: "new", to: "a", now: start + .seconds(5))
        #expect(balancer.affinityCount == 1)
    }
}
