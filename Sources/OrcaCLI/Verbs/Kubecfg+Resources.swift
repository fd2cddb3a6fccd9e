import Foundation
import OrcaAPI
import OrcaClient
import OrcaManifest

extension Kubecfg {
    /// `get|list|create|update|delete <resource>[/<id>]`, for one kind.
    func resourceVerb<T: KubecfgKind>(_ verb: String, _ target: ResourceArgument, _ type: T.Type) async throws {
        let namespace = options.namespace
        switch verb {
        case "get":
            let name = try requireName(target, verb: verb)
            console.write(printer.print(try await client.get(T.self, name: name, namespace: namespace)))
        case "list":
            if let name = target.name {
                throw UsageError("list takes no name; use: kubecfg get \(target.kind.rawValue)/\(name)")
            }
            let list = try await client.list(
                T.self, namespace: T.namespaced ? namespace : nil,
                labelSelector: options.labelSelector, fieldSelector: options.fieldSelector)
            console.write(printer.print(list))
        case "delete":
            let name = try requireName(target, verb: verb)
            try await client.delete(T.self, name: name, namespace: namespace)
            console.write(printer.print(Status.success()))
        case "create":
            let (name, ns) = try await create(T.self, target)
            console.write(printer.print(try await client.get(T.self, name: name, namespace: ns)))
        case "update":
            let (name, ns) = try await update(T.self, target)
            console.write(printer.print(try await client.get(T.self, name: name, namespace: ns)))
        default:
            throw UsageError("unknown verb \"\(verb)\"")
        }
    }

    private func requireName(_ target: ResourceArgument, verb: String) throws(UsageError) -> String {
        guard let name = target.name else {
            throw UsageError("\(verb) needs a name: kubecfg \(verb) \(target.kind.rawValue)/<id>")
        }
        return name
    }

    /// The namespace a manifest goes to: its own when it names one, else `-ns`.
    func namespace(of manifest: Manifest?) -> String {
        manifest?.namespace ?? options.namespace
    }

    /// `POST`s the `-c` body unchanged to the API its version belongs to; returns the new name.
    private func create<T: KubecfgKind>(_ type: T.Type, _ target: ResourceArgument) async throws
        -> (name: String, namespace: String) {
        let manifest = try manifest(for: "create")
        if let name = target.name, let own = manifest.name, !own.isEmpty, own != name {
            throw UsageError("the name in the path (\(name)) does not match the name in the file (\(own))")
        }
        let namespace = namespace(of: manifest)
        let answer = try await client.send(
            method: "POST", path: collectionPath(T.self, manifest.version, namespace: namespace),
            body: manifest.json, contentType: "application/json")
        guard let name = Self.name(in: answer.body, version: manifest.version) else {
            throw KubecfgError("the master created the \(T.kind) but did not say its name")
        }
        return (name, namespace)
    }

    /// Reads the current `resourceVersion`, then `PUT`s the `-c` body with it.
    private func update<T: KubecfgKind>(_ type: T.Type, _ target: ResourceArgument) async throws
        -> (name: String, namespace: String) {
        let manifest = try manifest(for: "update")
        let fileName = manifest.name.flatMap { $0.isEmpty ? nil : $0 }
        if let name = target.name, let fileName, fileName != name {
            throw UsageError("the name in the path (\(name)) does not match the name in the file (\(fileName))")
        }
        guard let name = target.name ?? fileName else {
            throw UsageError("update needs a name: kubecfg -c <file> update \(target.kind.rawValue)/<id>")
        }
        let namespace = namespace(of: manifest)
        let current = try await client.get(T.self, name: name, namespace: namespace)
        _ = try await client.send(
            method: "PUT", path: objectPath(T.self, manifest.version, namespace: namespace, name: name),
            body: manifest.withResourceVersion(current.metadata.resourceVersion), contentType: "application/json")
        return (name, namespace)
    }

    /// `print`: parses `-c` (either version) and prints it as the master would show it, without
    /// sending anything.
    func printManifest(_ arguments: [String]) throws {
        guard arguments.isEmpty else { throw UsageError("print takes no arguments; it prints the -c manifest") }
        let manifest = try manifest(for: "print")
        guard let kindName = manifest.kind, let kind = ResourceKind(kind: kindName) else {
            throw KubecfgError("the manifest's kind \(manifest.kind.map { "\"\($0)\"" } ?? "is missing and")"
                + " is not one of Pod, ReplicationController, Service, Minion, Event, Endpoints")
        }
        try printDecoded(kind.objectType, manifest)
    }

    private func printDecoded<T: KubecfgKind>(_ type: T.Type, _ manifest: Manifest) throws {
        let object: T = switch manifest.version {
        case .v1beta1: try T(v1beta1Body: manifest.json)
        case .v1: try ManifestDecoder.decode(T.self, json: manifest.json)
        }
        console.write(printer.print(object))
    }

    func collectionPath<T: KubecfgKind>(_ type: T.Type, _ version: Manifest.Version, namespace: String) -> String {
        switch version {
        case .v1:
            return APIPath.v1(T.self, namespace: namespace)
        case .v1beta1:
            return "/api/v1beta1/\(T.v1beta1Resource)" + (T.namespaced ? APIPath.query([("namespace", namespace)]) : "")
        }
    }

    func objectPath<T: KubecfgKind>(_ type: T.Type, _ version: Manifest.Version, namespace: String, name: String)
        -> String {
        switch version {
        case .v1:
            return APIPath.v1(T.self, namespace: namespace, name: name)
        case .v1beta1:
            return "/api/v1beta1/\(T.v1beta1Resource)/\(APIPath.escape(name))"
                + (T.namespaced ? APIPath.query([("namespace", namespace)]) : "")
        }
    }

    /// The name in a create's answer: `id` (v1beta1) or `metadata.name` (v1).
    static func name(in body: Data, version: Manifest.Version) -> String? {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return nil }
        let name = switch version {
        case .v1beta1: object["id"] as? String
        case .v1: (object["metadata"] as? [String: Any])?["name"] as? String
        }
        return name.flatMap { $0.isEmpty ? nil : $0 }
    }
}
