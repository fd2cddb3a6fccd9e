import OrcaClient
import Synchronization
import Testing
import OrcaTesting

@Suite struct WorkQueueTests {
    @Test func aWaitingKeyIsQueuedOnce() async {
        let queue = WorkQueue<String>()
        await queue.add("a")
        await queue.add("b")
        await queue.add("a")
        #expect(await queue.count == 2)
        #expect(await queue.get() == "a")
        #expect(await queue.get() == "b")
        #expect(await queue.count == 0)
    }

    @Test func aKeyAddedWhileProcessingComesBackAfterDone() async {
        let queue = WorkQueue<String>()
        await queue.add("a")
        let key = await queue.get()
        #expect(key == "a")
        await queue.add("a")
        // Not handed out while a worker has it.
        #expect(await queue.count == 0)
        await queue.done("a")
        #expect(await queue.count == 1)
        #expect(await queue.get() == "a")
    }

    @Test func backoffDoublesUpToTheMaximum() async {
        let queue = WorkQueue<String>(configuration: .init(baseDelay: .milliseconds(10), maxDelay: .seconds(1)))
        #expect(await queue.backoff(failures: 0) == .milliseconds(10))
        #expect(await queue.backoff(failures: 3) == .milliseconds(80))
        #expect(await queue.backoff(failures: 20) == .seconds(1))
    }

    @Test func failuresComeBackAfterTheirBackoffOnTheClock() async throws {
        let clock = ManualClock()
        let queue = WorkQueue<String>(configuration: .init(baseDelay: .seconds(1), maxDelay: .seconds(60)), clock: clock)
        await queue.addRateLimited("a")
        await queue.addRateLimited("a")  // second failure: 2 s
        #expect(await queue.failureCount("a") == 2)
        try await waitFor("the delayed add to sleep") { clock.sleeperCount == 1 }
        clock.advance(by: .seconds(1))
        #expect(await queue.count == 0, "not before its backoff")
        clock.advance(by: .seconds(1))
        try await waitFor("the key to be queued") { await queue.count == 1 }
        await queue.forget("a")
        #expect(await queue.failureCount("a") == 0)
    }

    @Test func shutDownReleasesWaitingWorkers() async {
        let queue = WorkQueue<Int>()
        async let waiting = queue.get()
        await queue.shutDown()
        #expect(await waiting == nil)
    }

    /// Random adds from many tasks while 4 workers process: a key is never held by two workers,
    /// and every key added is processed after its last add.
    @Test(arguments: [UInt64(7), 11, 23])
    func neverTwoWorkersOnOneKey(seed: UInt64) async throws {
        let queue = WorkQueue<Int>()
        let inFlight = Mutex<Set<Int>>([])
        let overlaps = Mutex(0)
        let lastAdd = Mutex<[Int: Int]>([:])
        let lastSeen = Mutex<[Int: Int]>([:])
        let counter = Atomic<Int>(0)
        let workers = Task {
            await queue.run(workers: 4) { key in
                let fresh = inFlight.withLock { $0.insert(key).inserted }
                if !fresh { overlaps.withLock { $0 += 1 } }
                let stamp = counter.add(1, ordering: .relaxed).newValue
                await Task.yield()
                lastSeen.withLock { $0[key] = stamp }
                inFlight.withLock { _ = $0.remove(key) }
            }
        }
        var rng = SplitMix64(seed: seed)
        for _ in 0..<2000 {
            let key = Int(rng.next() % 20)
            let stamp = counter.add(1, ordering: .relaxed).newValue
            lastAdd.withLock { $0[key] = stamp }
            await queue.add(key)
            if rng.next() % 5 == 0 { await Task.yield() }
        }
        try await waitFor("every key processed after its last add") {
            let adds = lastAdd.withLock { $0 }
            let seen = lastSeen.withLock { $0 }
            return adds.allSatisfy { key, stamp in (seen[key] ?? 0) > stamp }
        }
        workers.cancel()
        await workers.value
        #expect(overlaps.withLock { $0 } == 0)
    }
}


/// Polls `condition` until it holds, failing with `what` after a generous deadline.
func waitFor(_ what: String, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(20)
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(5))
    }
    Issue.record("timed out waiting for \(what)")
}
