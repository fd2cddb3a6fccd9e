#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The files of an image archive (`docker save` or OCI), read in one pass: large files go
/// into the content store as blobs (named by the digest computed while copying), small
/// metadata files stay in memory. Archive entries may come in any order, so nothing is
/// interpreted until the whole archive is read.
struct ArchiveContents {
    /// Archive path (cleaned, no leading `./`) -> blob digest.
    private(set) var blobs: [String: Digest] = [:]
    /// Archive path -> bytes, for the metadata files.
    private(set) var metadata: [String: Data] = [:]
    /// Archive path -> path it links to (Docker dedupes identical layers with symlinks).
    private(set) var links: [String: String] = [:]

    static let metadataFiles: Set<String> = ["manifest.json", "index.json", "oci-layout", "repositories"]

    /// Reads the tar (plain or gzip) at `path`. Blocking.
    static func read(_ path: String, into content: ContentStore) throws -> ArchiveContents {
        var contents = ArchiveContents()
        let reader = TarReader(source: try decompressingIfNeeded(try FileSource(path: path)))
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 128 << 10, alignment: 1)
        defer { scratch.deallocate() }
        while let entry = try reader.next() {
            let components: [String]
            do { components = try LayerUnpacker.clean(entry.path) } catch {
                throw ImageError.invalidArchive("entry \(entry.path) leaves the archive")
            }
            let name = components.joined(separator: "/")
            switch entry.kind {
            case .regular where metadataFiles.contains(name):
                guard entry.size <= 4 << 20 else { throw ImageError.invalidArchive("\(name) is too large") }
                var data = Data()
                while true {
                    let n = try reader.read(into: scratch)
                    if n == 0 { break }
                    data.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[..<n]))
                }
                contents.metadata[name] = data
            case .regular:
                let writer = try content.writer()
                while true {
                    let n = try reader.read(into: scratch)
                    if n == 0 { break }
                    try writer.write(UnsafeRawBufferPointer(rebasing: scratch[..<n]))
                }
                // In an OCI layout the file name is the digest: hold the content to it.
                let expected = components.count == 3 && components[0] == "blobs" && components[1] == "sha256"
                    ? Digest("sha256:" + components[2]) : nil
                contents.blobs[name] = try content.commit(writer, expected: expected).digest
            case .symbolicLink:
                let base = components.dropLast().joined(separator: "/")
                let target = entry.linkName.hasPrefix("/") ? entry.linkName : base + "/" + entry.linkName
                contents.links[name] = ((try? LayerUnpacker.clean(target)) ?? []).joined(separator: "/")
            case .hardLink:
                contents.links[name] = ((try? LayerUnpacker.clean(entry.linkName)) ?? []).joined(separator: "/")
            default:
                continue
            }
        }
        return contents
    }

    /// The blob stored for archive path `name`, following links.
    func blob(_ name: String) throws -> Digest {
        var current = ((try? LayerUnpacker.clean(name)) ?? []).joined(separator: "/")
        for _ in 0..<8 {
            if let digest = blobs[current] { return digest }
            guard let next = links[current] else { break }
            current = next
        }
        throw ImageError.invalidArchive("\(name) is not in the archive")
    }
}
