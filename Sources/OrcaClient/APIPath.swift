import OrcaAPI

/// Builds v1 request paths: `/api/v1/namespaces/{ns}/{resource}[/{name}[/{subresource}]]` for
/// namespaced kinds, `/api/v1/{resource}[/{name}]` for cluster-scoped ones.
public enum APIPath {
    /// The path of a kind's collection, one object, or one object's subresource.
    ///
    /// `namespace` is ignored for cluster-scoped kinds; nil for a namespaced kind means every
    /// namespace (only meaningful for a list or watch).
    public static func v1<T: APIObject>(
        _ type: T.Type, namespace: String?, name: String? = nil, subresource: String? = nil
    ) -> String {
        var path = "/api/v1"
        if T.namespaced, let namespace {
            path += "/namespaces/" + escape(namespace)
        }
        path += "/" + T.resource
        if let name {
            path += "/" + escape(name)
            if let subresource { path += "/" + subresource }
        }
        return path
    }

    /// `?a=1&b=x%3Dy` from pairs whose value is non-nil, or "" when none is.
    public static func query(_ items: [(String, String?)]) -> String {
        let parts = items.compactMap { key, value in value.map { escape(key) + "=" + escape($0) } }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters.
    public static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte >> 4, radix: 16, uppercase: true)
                    + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
