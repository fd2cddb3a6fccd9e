#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A point in time, coded as RFC 3339 text (`2014-11-27T10:36:24Z`) as Kubernetes does.
public struct Timestamp: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public var date: Date

    public init(_ date: Date) { self.date = date }

    public static func now() -> Timestamp { Timestamp(Date()) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = Timestamp.parse(text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "not an RFC 3339 time: \(text)"))
        }
        self.date = date
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public var description: String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: false, timeZone: .gmt).format(date)
    }

    public static func parse(_ text: String) -> Date? {
        if let d = try? Date.ISO8601FormatStyle(includingFractionalSeconds: false, timeZone: .gmt).parse(text) {
            return d
        }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt).parse(text)
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.date < b.date }
}
