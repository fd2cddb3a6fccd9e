import Foundation

/// The tags and pinned digests of the store: reference -> what it resolved to, kept in
/// `<root>/references.json` and replaced atomically on every change (a crash leaves the
/// old or the new file, never a torn one). Owned by ``ImageStore``.
struct ReferenceIndex {
    struct Record: Codable, Hashable {
        /// The digest the reference resolved to (index, manifest list, or manifest).
        var target: Digest
        /// The single-platform manifest chosen from it.
        var manifest: Digest
    }

    private struct File: Codable {
        var version = 1
        var references: [String: Record]
    }

    let path: String
    private(set) var records: [String: Record]

    init(path: String) throws {
        self.path = path
        guard FileIO.exists(path) else {
            records = [:]
            return
        }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            records = try JSONDecoder().decode(File.self, from: data).references
        } catch {
            throw ImageError.invalidManifest("cannot read \(path): \(error)")
        }
    }

    mutating func set(_ reference: String, _ record: Record) throws {
        guard records[reference] != record else { return }
        records[reference] = record
        try save()
    }

    mutating func remove(_ references: some Sequence<String>) throws {
        var changed = false
        for reference in references where records.removeValue(forKey: reference) != nil { changed = true }
        if changed { try save() }
    }

    private func save() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(File(references: records))
        try FileIO.writeAtomically(data, to: path)
    }
}
