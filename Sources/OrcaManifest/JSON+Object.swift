import Foundation
import OrcaAPI

extension JSON {
    /// A JSON-compatible object of an encodable value (for conversions that work on dictionaries).
    public static func object<T: Encodable>(_ value: T) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: encode(value))) as? [String: Any] ?? [:]
    }
}
