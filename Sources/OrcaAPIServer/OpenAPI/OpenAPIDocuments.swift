import Foundation
import Hummingbird
import OrcaAPI

/// `/openapi/v2` and `/openapi/v3[/api/v1|/apis/G/V]`, generated once at start from the kinds'
/// schemas (``SchemaSet``, read off their Codable conformances) and the endpoints' ``ResourceInfo``:
/// the same definitions that decode and validate request bodies.
struct OpenAPIDocuments: Sendable {
    let v2Document: Data
    let v3Documents: [GroupVersion: Data]
    /// A hash of each v3 document, in the index's URLs, so clients cache a document until it changes.
    let v3Hashes: [GroupVersion: String]
    let v3Index: Data

    init(_ table: EndpointTable) throws {
        var schemas = SchemaSet()
        var kinds: [String: [GroupVersionKindRef]] = [:]
        var described: [(endpoint: any ResourceEndpoint, names: EndpointSchemaNames)] = []
        for endpoint in table.all {
            let names = try endpoint.addSchemas(to: &schemas)
            let info = endpoint.info
            kinds[names.object, default: []].append(GroupVersionKindRef(info.groupVersion, info.kind))
            kinds[names.list, default: []].append(GroupVersionKindRef(info.groupVersion, info.kind + "List"))
            described.append((endpoint, names))
        }

        func definitions(_ writer: OpenAPISchemaWriter) -> [String: Any] {
            var out: [String: Any] = [:]
            for (name, object) in schemas.definitions {
                out[name] = writer.definition(object, kinds: kinds[name] ?? [])
            }
            return out
        }

        let v2Writer = OpenAPISchemaWriter(dialect: .v2)
        var v2Paths: [String: Any] = [:]
        for (endpoint, names) in described {
            v2Paths.merge(OpenAPIPaths(info: endpoint.info, names: names, writer: v2Writer).items) { a, _ in a }
        }
        v2Document = Self.encode([
            "swagger": "2.0",
            "info": ["title": "Kubernetes", "version": VersionInfo.current.gitVersion],
            "paths": v2Paths,
            "definitions": definitions(v2Writer),
        ])

        let v3Writer = OpenAPISchemaWriter(dialect: .v3)
        let v3Definitions = definitions(v3Writer)
        var documents: [GroupVersion: Data] = [:]
        for (groupVersion, endpoints) in table.groupVersions {
            var paths: [String: Any] = [:]
            for (endpoint, names) in described where endpoints.contains(where: { $0.info.resource == endpoint.info.resource })
                && endpoint.info.groupVersion == groupVersion {
                paths.merge(OpenAPIPaths(info: endpoint.info, names: names, writer: v3Writer).items) { a, _ in a }
            }
            documents[groupVersion] = Self.encode([
                "openapi": "3.0.0",
                "info": ["title": "Kubernetes", "version": VersionInfo.current.gitVersion],
                "paths": paths,
                "components": ["schemas": v3Definitions],
            ])
        }
        v3Documents = documents
        v3Hashes = documents.mapValues(Self.hash)
        var index: [String: Any] = [:]
        for (groupVersion, hash) in v3Hashes {
            let key = String(groupVersion.path.dropFirst())
            index[key] = ["serverRelativeURL": "/openapi/v3/\(key)?hash=\(hash)"]
        }
        v3Index = Self.encode(["paths": index])
    }

    /// Swagger 2.0 as JSON, for clients that accept JSON. kubectl asks for protobuf only and fails
    /// to parse JSON there, while it degrades gracefully on 404 (it uses v3): so protobuf-only gets 404.
    func v2(_ request: Request) throws -> Response {
        let accept = request.headers[.accept] ?? "*/*"
        guard accept.contains("json") || accept.contains("*/*") else {
            throw APIError(.notFound, "the server could not find the requested resource")
        }
        return Responses.json(v2Document)
    }

    func v3IndexResponse() -> Response { Responses.json(v3Index) }

    func v3(_ groupVersion: GroupVersion, _ request: Request) throws -> Response {
        guard let document = v3Documents[groupVersion], let hash = v3Hashes[groupVersion] else {
            throw APIError(.notFound, "the server could not find the requested resource")
        }
        var response = Responses.json(document)
        response.headers[.eTag] = "\"\(hash)\""
        // A document asked for by its hash never changes; one asked for without it may.
        let pinned = request.uri.queryParameters["hash"].map { String($0) == hash } ?? false
        response.headers[.cacheControl] = pinned ? "public, immutable" : "no-cache, private"
        return response
    }

    private static func encode(_ value: [String: Any]) -> Data {
        // Built from dictionaries of JSON values only, so serialisation cannot fail.
        (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data("{}".utf8)
    }

    /// FNV-1a, 64 bits, in hex: enough to tell one document from the next.
    private static func hash(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16, uppercase: true)
    }
}

/// The definition names of an endpoint's kind, its list, and its subresources' kinds.
struct EndpointSchemaNames: Sendable {
    var object: String
    var list: String
    var subresources: [String: String] = [:]
}
