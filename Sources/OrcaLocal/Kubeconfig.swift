import Foundation
import Yams

/// The kubeconfig of a local cluster: a standalone file in the cluster's directory, and its
/// cluster, user and context merged into the user's kubeconfig (the first file of `$KUBECONFIG`,
/// else `~/.kube/config`) as kind and k3d do, so `kubectl get nodes` works right after `orca up`.
/// `orca down` takes them out again and leaves everything else in that file as it was.
public struct Kubeconfig: Sendable {
    /// The name of the cluster, user and context (`orca`, or the cluster's name prefix).
    public var name: String
    public var server: String

    public init(name: String, server: String) {
        self.name = name
        self.server = server
    }

    /// The kubeconfig of a local cluster: named by its prefix, at the master's loopback address.
    public init(_ layout: LocalClusterLayout) {
        self.init(name: layout.prefix, server: "http://127.0.0.1:\(layout.masterPort)")
    }

    /// The user's kubeconfig file, as kubectl finds it.
    public static func userPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let list = environment["KUBECONFIG"], let first = list.split(separator: ":").first, !first.isEmpty {
            return String(first)
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.kube/config"
    }

    /// A kubeconfig holding only this cluster.
    public var standalone: String {
        (try? Yams.dump(object: merged(into: [:]), sortKeys: true)) ?? ""
    }

    /// Adds (or replaces) this cluster's entries in the kubeconfig at `path` and makes its context
    /// the current one. Creates the file (mode 0600) and its directory when missing. Returns the
    /// context that was current before, for ``remove(fromFileAt:restoring:)``.
    @discardableResult
    public func merge(intoFileAt path: String) throws -> String? {
        let existing = try Self.load(path)
        let text = try Yams.dump(object: merged(into: existing), sortKeys: true)
        try write(text, to: path)
        let previous = existing["current-context"] as? String
        return previous == name ? nil : previous
    }

    /// Removes this cluster's entries from the kubeconfig at `path`; when its context was the
    /// current one, `previous` (the context current before `orca up`) becomes current again. A
    /// missing file is left missing.
    public func remove(fromFileAt path: String, restoring previous: String? = nil) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        var config = try Self.load(path)
        for list in ["clusters", "users", "contexts"] {
            config[list] = (config[list] as? [[String: Any]] ?? []).filter { $0["name"] as? String != name }
        }
        if config["current-context"] as? String == name { config["current-context"] = previous ?? "" }
        try write(try Yams.dump(object: config, sortKeys: true), to: path)
    }

    func merged(into config: [String: Any]) -> [String: Any] {
        var config = config
        config["apiVersion"] = "v1"
        config["kind"] = "Config"
        if config["preferences"] == nil { config["preferences"] = [String: Any]() }
        func replacing(_ list: String, with entry: [String: Any]) {
            var entries = (config[list] as? [[String: Any]] ?? []).filter { $0["name"] as? String != name }
            entries.append(entry)
            config[list] = entries
        }
        replacing("clusters", with: ["name": name, "cluster": ["server": server]])
        // The local master's plain-HTTP port takes no credentials (until TLS and tokens land).
        replacing("users", with: ["name": name, "user": [String: Any]()])
        replacing("contexts", with: ["name": name, "context": ["cluster": name, "user": name, "namespace": "default"]])
        config["current-context"] = name
        return config
    }

    static func load(_ path: String) throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        let text = String(decoding: data, as: UTF8.self)
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return [:] }
        guard let loaded = try Yams.load(yaml: text) as? [String: Any] else {
            throw LocalCluster.Failure("\(path) is not a kubeconfig (not a YAML mapping)")
        }
        return loaded
    }

    private func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url, options: .atomic)
        chmod(path, 0o600)
    }
}
