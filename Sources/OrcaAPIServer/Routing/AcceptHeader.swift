import Foundation

/// The media types of an Accept header, as Kubernetes' clients write them
/// (`application/json;as=Table;v=v1;g=meta.k8s.io,application/json`).
enum AcceptHeader {
    /// Whether one of the media types in `accept` carries every parameter in `parameters`.
    static func offers(_ accept: String?, parameters: [String]) -> Bool {
        guard let accept else { return false }
        return accept.split(separator: ",").contains { type in
            let params = type.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            return parameters.allSatisfy(params.contains)
        }
    }
}
