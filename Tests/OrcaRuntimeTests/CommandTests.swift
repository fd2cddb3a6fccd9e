import Foundation
import OrcaRuntime
import Testing

@Suite("processes and the reaper")
struct CommandTests {
    @Test("output is captured and the exit status decoded")
    func capturesOutput() async throws {
        let result = try await Command("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"]).output()
        #expect(result.stdoutText == "out\n")
        #expect(result.stderrText == "err\n")
        #expect(result.status == .exited(3))
        #expect(result.status.code == 3)
    }

    @Test("stdin reaches the child")
    func feedsStdin() async throws {
        let out = try await Command("/bin/cat").run(stdin: Data("hello".utf8))
        #expect(String(decoding: out, as: UTF8.self) == "hello")
    }

    @Test("children get SIGTERM at its default disposition, even spawned from a pool thread")
    func signalsAreUnblocked() async throws {
        let pid = try Reaper.shared.spawn("/bin/sleep", arguments: ["30"])
        try await Task.sleep(for: .milliseconds(50))
        kill(pid, SIGTERM)
        let status = try await Command.wait(pid, timeout: .seconds(10), describing: "sleep")
        #expect(status == .signaled(SIGTERM))
        #expect(status.code == 143)
    }

    @Test("a command past its timeout is killed and the wait throws")
    func timesOut() async throws {
        await #expect(throws: RuntimeError.self) {
            try await Command("/bin/sleep", ["30"]).run(timeout: .milliseconds(200))
        }
    }

    @Test("a failing command throws with what it printed")
    func failureCarriesOutput() async throws {
        do {
            try await Command("/bin/sh", ["-c", "echo broken >&2; exit 1"]).run()
            Issue.record("expected a failure")
        } catch let error as RuntimeError {
            #expect(error.description.contains("broken"))
        }
    }

    @Test("a program that does not exist is an error, not a crash")
    func missingProgram() async throws {
        await #expect(throws: RuntimeError.self) {
            try await Command("/nonexistent/program").run()
        }
    }

    @Test("many short children are all collected")
    func manyChildren() async throws {
        try await withThrowingTaskGroup(of: ExitStatus.self) { group in
            for i in 0..<40 {
                group.addTask { try await Command("/bin/sh", ["-c", "exit \(i % 5)"]).output().status }
            }
            var codes: [Int32] = []
            for try await status in group { codes.append(status.code) }
            #expect(codes.sorted() == (0..<40).map { Int32($0 % 5) }.sorted())
        }
    }
}
