import Foundation
import Testing
@testable import OrcaAPI
import OrcaTesting

@Suite struct QuantityTests {
    @Test(arguments: [
        ("100m", 100), ("64Mi", 64 * 1_048_576 * 1000), ("1Gi", 1_073_741_824_000), ("2", 2000), ("1e3", 1_000_000),
        ("0.5", 500), ("9m", 9), ("1.1", 1100), ("1.5Gi", 1_610_612_736_000), ("1k", 1_000_000), ("1Ki", 1_024_000),
        ("-1", -1000), ("+2", 2000), ("1n", 1), ("1.0001", 1001), ("1e-3", 1), ("1E3", 1_000_000), ("0", 0),
        (".5", 500), ("0.25Mi", 262_144_000), ("2P", 2_000_000_000_000_000_000), ("50000000", 50_000_000_000),
        ("0e999999999", 0), ("1e-999999999", 1),
    ] as [(String, Int64)])
    func parses(text: String, milli: Int64) throws {
        let quantity = try #require(Quantity(text))
        #expect(quantity.milliValue == milli)
        #expect(quantity.text == text)
    }

    @Test(arguments: ["1xyz", "", "abc", "1..2", "Mi", "1e", "1Mi2", "--1", "1 Mi", "0x10", "9223372036854775807Ei",
                      "2E",
                      "10E", "1e999999999", ".", "+", "1ki"])
    func rejects(text: String) {
        #expect(Quantity(text) == nil)
    }

    @Test func milliUnitsAreExact() {
        // Floating-point arithmetic would make some of these one too large (9m -> 10).
        var rng = SplitMix64(seed: 3)
        for _ in 0..<2000 {
            let n = Int64.random(in: 0..<10_000_000, using: &rng)
            #expect(Quantity("\(n)m")?.milliValue == n, "\(n)m")
        }
    }

    @Test func wholeValuesRoundUp() {
        #expect(Quantity("100m")?.value == 1)
        #expect(Quantity("64Mi")?.value == 67_108_864)
        #expect(Quantity("2")?.value == 2)
    }

    @Test func builtQuantitiesPrintSimply() {
        #expect(Quantity(milli: 1500).text == "1500m")
        #expect(Quantity(milli: 2000).text == "2")
        #expect(Quantity(integer: 3).milliValue == 3000)
        #expect(Quantity("1000m") == Quantity("1"))
    }

    @Test func decodesStringsAndNumbers() throws {
        let json = #"{"a":"64Mi","b":2,"c":0.5}"#
        let decoded = try JSONDecoder().decode([String: Quantity].self, from: Data(json.utf8))
        #expect(decoded["a"]?.milliValue == 67_108_864_000)
        #expect(decoded["b"]?.milliValue == 2000)
        #expect(decoded["c"]?.milliValue == 500)
        #expect(String(decoding: JSON.encode(decoded), as: UTF8.self) == #"{"a":"64Mi","b":"2","c":"500m"}"#)
    }

    @Test func aBadQuantityNamesItsField() {
        let json = #"{"limits":{"cpu":"1xyz"}}"#
        let error = #expect(throws: APIError.self) {
            try ManifestDecoder.decode(ResourceRequirements.self, json: Data(json.utf8))
        }
        #expect(error?.message.hasPrefix("limits.cpu: quantities must match the regular expression") == true)
    }
}
