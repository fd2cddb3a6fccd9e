import Foundation
@testable import OrcaAPIServer
import Testing

@Suite struct UIDGeneratorTests {
    @Test func uidsAreLowercaseVersion4UUIDs() throws {
        var seen: Set<String> = []
        for _ in 0..<1000 {
            let uid = UIDGenerator.make()
            let parsed = try #require(UUID(uuidString: uid), "\(uid) is not a UUID")
            #expect(parsed.uuidString.lowercased() == uid)
            let chars = Array(uid)
            #expect(chars[14] == "4")
            #expect("89ab".contains(chars[19]))
            seen.insert(uid)
        }
        #expect(seen.count == 1000)
    }
}
