import Foundation
import OrcaAPI
@testable import OrcaManifest

/// The real kinds' schemas, read once.
enum Kinds {
    static let schemas: (set: SchemaSet, pod: String, service: String, rc: String) = {
        var set = SchemaSet()
        let pod = try! set.add(Pod.self)
        let service = try! set.add(OrcaAPI.Service.self)
        let rc = try! set.add(ReplicationController.self)
        return (set, pod, service, rc)
    }()

    static var set: SchemaSet { schemas.set }
    static var pod: String { schemas.pod }
    static var service: String { schemas.service }
    static var rc: String { schemas.rc }
}

/// A JSON object from text (test fixtures are well-formed).
func object(_ text: String) -> [String: Any] {
    try! JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as! [String: Any]
}

func value(_ text: String) -> Any {
    try! JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}

/// Sorted-key JSON text of a value, so that failed comparisons print both sides readably.
func canonical(_ value: Any) -> String {
    let data = try! JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
}

/// The canonical text of `text`, for comparing with ``canonical(_:)`` of a result.
func canonical(json text: String) -> String { canonical(value(text)) }

/// The APIError `body` throws, or nil.
func thrown<T>(_ body: () throws(APIError) -> T) -> APIError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

extension Date {
    static func at(_ text: String) -> Date { Timestamp.parse(text)! }
}
