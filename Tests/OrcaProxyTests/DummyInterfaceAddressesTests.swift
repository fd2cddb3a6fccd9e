import Synchronization
import Testing
@testable import OrcaProxy

/// The `ip` commands the dummy interface manager runs, against a scripted `ip`.
@Suite struct DummyInterfaceAddressesTests {
    /// A fake `ip`: records calls, answers `address show` with what it holds.
    final class FakeIP: Sendable {
        struct State {
            var exists: Bool
            var addresses: [String] = []
            var calls: [String] = []
            var failBatches = false
        }

        let state: Mutex<State>

        init(exists: Bool, addresses: [String] = []) {
            state = Mutex(State(exists: exists, addresses: addresses))
        }

        var calls: [String] { state.withLock { $0.calls } }

        func run(_ arguments: [String], _ stdin: String?) -> IPCommandOutput {
            state.withLock { state in
                state.calls.append(arguments.joined(separator: " ") + (stdin.map { " <<" + $0 } ?? ""))
                if arguments.first == "-o" {
                    guard state.exists else {
                        return IPCommandOutput(succeeded: false, stderr: "Device \"orca-svc0\" does not exist.")
                    }
                    let lines = state.addresses.map {
                        "7: orca-svc0    inet \($0)/32 scope global orca-svc0\\       valid_lft forever"
                    }
                    return IPCommandOutput(succeeded: true, stdout: lines.joined(separator: "\n"))
                }
                if state.failBatches { return IPCommandOutput(succeeded: false, stderr: "RTNETLINK answers: nope") }
                for line in (stdin ?? "").split(separator: "\n") {
                    let words = line.split(separator: " ").map(String.init)
                    if words.starts(with: ["link", "add"]) { state.exists = true }
                    if words.starts(with: ["address", "add"]) {
                        state.addresses.append(String(words[2].prefix { $0 != "/" }))
                    }
                    if words.starts(with: ["address", "del"]) {
                        let ip = String(words[2].prefix { $0 != "/" })
                        state.addresses.removeAll { $0 == ip }
                    }
                }
                return IPCommandOutput(succeeded: true)
            }
        }
    }

    @Test func createsTheInterfaceThenAddsAndRemovesAddressesInOneBatchEach() async throws {
        let ip = FakeIP(exists: false)
        let manager = DummyInterfaceAddresses(logger: quietLogger, ip: { ip.run($0, $1) })
        try await manager.add(["10.0.0.2", "10.0.0.1"])
        #expect(ip.calls == [
            "-o address show dev orca-svc0",
            "-force -batch - <<link add orca-svc0 type bridge\nlink set orca-svc0 up\n",
            "-o address show dev orca-svc0",
            "-force -batch - <<address add 10.0.0.1/32 dev orca-svc0\naddress add 10.0.0.2/32 dev orca-svc0\n",
        ])
        try await manager.add(["10.0.0.2", "10.0.0.1"])
        #expect(ip.calls.count == 4, "nothing to do: no command")
        try await manager.removeAll(except: ["10.0.0.2"])
        #expect(ip.calls.last == "-force -batch - <<address del 10.0.0.1/32 dev orca-svc0\n")
        #expect(ip.state.withLock { $0.addresses } == ["10.0.0.2"])
    }

    @Test func aRestartTakesOverTheAddressesLeftAndRemovesOnlyStaleOnes() async throws {
        let ip = FakeIP(exists: true, addresses: ["10.0.0.1", "10.0.0.9"])
        let manager = DummyInterfaceAddresses(logger: quietLogger, ip: { ip.run($0, $1) })
        try await manager.add(["10.0.0.1", "10.0.0.3"])
        try await manager.removeAll(except: ["10.0.0.1", "10.0.0.3"])
        #expect(ip.calls == [
            "-o address show dev orca-svc0",
            "-force -batch - <<link set orca-svc0 up\n",
            "-force -batch - <<address add 10.0.0.3/32 dev orca-svc0\n",
            "-force -batch - <<address del 10.0.0.9/32 dev orca-svc0\n",
        ])
    }

    @Test func aFailedBatchThrowsAndRereadsTheInterfaceNextTime() async throws {
        let ip = FakeIP(exists: true)
        let manager = DummyInterfaceAddresses(logger: quietLogger, ip: { ip.run($0, $1) })
        ip.state.withLock { $0.failBatches = true }
        await #expect(throws: DummyInterfaceError.self) { try await manager.add(["10.0.0.1"]) }
        ip.state.withLock { $0.failBatches = false }
        try await manager.add(["10.0.0.1"])
        #expect(ip.calls.filter { $0.hasPrefix("-o address show") }.count == 2)
        #expect(ip.state.withLock { $0.addresses } == ["10.0.0.1"])
    }

    @Test func onlyIPAddressesReachTheBatch() async throws {
        let ip = FakeIP(exists: true)
        let manager = DummyInterfaceAddresses(logger: quietLogger, ip: { ip.run($0, $1) })
        try await manager.add(["10.0.0.1\naddress flush dev eth0", "fd00::10"])
        #expect(ip.calls.last == "-force -batch - <<address add fd00::10/128 dev orca-svc0\n")
    }

    @Test func parsesIPAddressShowOutput() {
        let text = """
            7: orca-svc0    inet 10.0.0.1/32 scope global orca-svc0\\       valid_lft forever preferred_lft forever
            7: orca-svc0    inet6 fd00::10/128 scope global \\       valid_lft forever preferred_lft forever
            """
        #expect(DummyInterfaceAddresses.parseAddresses(text) == ["10.0.0.1", "fd00::10"])
    }
}
