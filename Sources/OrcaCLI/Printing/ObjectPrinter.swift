import Foundation
import OrcaAPI
import Yams

/// Turns objects into the text `kubecfg` prints: tables, or JSON/YAML in the v1 shape (or
/// v1beta1 with `-api_version v1beta1`). Pure.
public struct ObjectPrinter: Sendable {
    public var format: OutputFormat
    /// `v1beta1` prints `-json`/`-yaml` in the seed's shape; anything else prints v1.
    public var apiVersion: String?

    public init(format: OutputFormat = .table, apiVersion: String? = nil) {
        self.format = format
        self.apiVersion = apiVersion
    }

    /// A table of the header, its underline and one row per object, or the list as JSON/YAML.
    public func print<T: KubecfgKind>(_ list: ObjectList<T>) -> String {
        switch format {
        case .table: Self.table(header: T.tableHeader, rows: list.items.map(\.tableRow))
        case .json, .yaml:
            apiVersion == "v1beta1" ? encode(V1Beta1.List(list)) : encode(list)
        }
    }

    /// One object: a table of one row, or the object as JSON/YAML.
    public func print<T: KubecfgKind>(_ object: T) -> String {
        switch format {
        case .table: Self.table(header: T.tableHeader, rows: [object.tableRow])
        case .json, .yaml: apiVersion == "v1beta1" ? encode(object.v1beta1) : encode(object)
        }
    }

    /// A `Status` (the answer to `delete`): a one-column table of its status, or the object.
    public func print(_ status: Status) -> String {
        switch format {
        case .table: Self.table(header: ["Status"], rows: [[status.status ?? "Success"]])
        case .json, .yaml: encode(status)
        }
    }

    /// The seed's table: tab-aligned columns, each header underlined with `----------`.
    public static func table(header: [String], rows: [[String]]) -> String {
        TabWriter().format([header, header.map { _ in "----------" }] + rows)
    }

    func encode<V: Encodable>(_ value: V) -> String {
        switch format {
        case .yaml:
            let encoder = YAMLEncoder()
            encoder.options.sortKeys = true
            // Our API values always encode (no non-finite numbers, string keys only).
            return (try? encoder.encode(value)) ?? ""
        case .json, .table:
            return String(decoding: JSON.encode(value, pretty: true), as: UTF8.self) + "\n"
        }
    }
}
