import Foundation
import OrcaAPI

/// One column of a `meta.k8s.io/v1` Table, as kubectl prints it (`priority` 1 only with `-o wide`).
struct TableColumn: Sendable {
    var name: String
    var type: String = "string"
    var format: String = ""
    var description: String
    var priority: Int = 0
}

/// A cell: kubectl prints strings and integers as they are.
enum TableCell: Sendable, Equatable {
    case string(String)
    case integer(Int)
}

/// A kind kubectl shows with its own columns (Kubernetes' printers), computed on the server
/// (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`).
protocol TablePrintable {
    static var tableColumns: [TableColumn] { get }
    func tableCells(now: Date) -> [TableCell]
}

/// Builds Table responses for any kind: its own columns when it is ``TablePrintable``, else
/// Kubernetes' default (Name, Created At).
enum Table {
    /// Whether `accept` asks for a Table (kubectl's `get`). A list is still JSON when asked for plainly.
    static func wanted(_ accept: String?) -> Bool {
        AcceptHeader.offers(accept, parameters: ["as=Table", "g=meta.k8s.io"])
    }

    /// The Table of `objects`; `headers` false leaves the column definitions out (watch events
    /// after the first, as Kubernetes sends them).
    static func encode<T: APIObject>(_ objects: [T], listMeta: ListMeta?, includeObject: IncludeObject,
                                     headers: Bool = true, now: Date = Date()) -> Data {
        var writer = JSONWriter(capacity: 256 + objects.count * 320)
        writer.beginObject()
        writer.field("apiVersion", "meta.k8s.io/v1")
        if headers {
            writer.key("columnDefinitions")
            writer.beginArray()
            for column in columns(T.self) {
                writer.beginObject()
                writer.field("description", column.description)
                writer.field("format", column.format)
                writer.field("name", column.name)
                writer.field("priority", column.priority)
                writer.field("type", column.type)
                writer.endObject()
            }
            writer.endArray()
        } else {
            writer.key("columnDefinitions")
            writer.beginArray()
            writer.endArray()
        }
        writer.field("kind", "Table")
        writer.key("metadata")
        writer.beginObject()
        writer.field("continue", listMeta?.continue)
        writer.field("remainingItemCount", listMeta?.remainingItemCount)
        writer.field("resourceVersion", listMeta?.resourceVersion)
        writer.endObject()
        writer.key("rows")
        writer.beginArray()
        for object in objects {
            writer.beginObject()
            writer.key("cells")
            writer.beginArray()
            for cell in cells(object, now: now) {
                switch cell {
                case .string(let text): writer.string(text)
                case .integer(let value): writer.integer(value)
                }
            }
            writer.endArray()
            switch includeObject {
            case .none:
                break
            case .metadata:
                writer.key("object")
                writer.beginObject()
                writer.field("apiVersion", "meta.k8s.io/v1")
                writer.field("kind", "PartialObjectMetadata")
                writer.field("metadata", object.metadata)
                writer.endObject()
            case .object:
                writer.key("object")
                writer.raw(JSON.encode(object))
            }
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return Data(writer.bytes)
    }

    /// `?includeObject=`: what each row carries besides its cells (kubectl's default is Metadata).
    enum IncludeObject: String, Sendable {
        case none = "None"
        case metadata = "Metadata"
        case object = "Object"
    }

    static func columns<T: APIObject>(_ type: T.Type) -> [TableColumn] {
        (T.self as? any TablePrintable.Type)?.tableColumns ?? [
            .name,
            TableColumn(name: "Created At", type: "date", description: "CreationTimestamp is a timestamp representing the server time when this object was created."),
        ]
    }

    static func cells<T: APIObject>(_ object: T, now: Date) -> [TableCell] {
        if let printable = object as? any TablePrintable { return printable.tableCells(now: now) }
        return [.string(object.metadata.name ?? ""), .string(object.metadata.creationTimestamp?.description ?? "")]
    }
}

extension TableColumn {
    static let name = TableColumn(
        name: "Name", format: "name",
        description: "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically.")
    static let age = TableColumn(
        name: "Age", description: "CreationTimestamp is a timestamp representing the server time when this object was created.")
}
