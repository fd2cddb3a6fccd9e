import ArgumentParser
import AsyncHTTPClient
import Foundation
import OrcaRuntime

/// `orca image load|list|prune`: a minion's images. `load` and `list` work on the minion's
/// image store directly (its data directory; a running minion sees the change at once);
/// `prune` asks the running minion, which alone knows the images its containers use.
struct ImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Load, list and prune a minion's images.",
        subcommands: [Load.self, List.self, Prune.self])

    struct StoreOptions: ParsableArguments {
        @Option(name: .long, help: "The minion's data directory (as given to orca minion --data-dir).")
        var dataDir: String = "/var/lib/orca/minion"

        func store() throws -> ImageStore {
            try ImageStore(root: URL(fileURLWithPath: dataDir).appendingPathComponent("images"))
        }
    }

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import images from a `docker save` or OCI archive (tar or tar.gz).")

        @Argument(help: "The archive.")
        var file: String

        @Option(name: .long, help: "The name for images the archive does not name fully (busybox, or busybox:1.36).")
        var name: String?

        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw ValidationError("\(file): no such file, or not readable")
            }
        }

        func run() async throws {
            let references = try await store.store().load(archive: URL(fileURLWithPath: file), name: name)
            for reference in references { print("Loaded image: \(reference)") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the minion's images.")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let images = await (try store.store()).list().sorted { $0.reference.description < $1.reference.description }
            let rows = images.map { image in
                [image.reference.description, String(image.id.hex.prefix(12)), ByteCount.string(image.size)]
            }
            print(Table.render(header: ["IMAGE", "IMAGE ID", "SIZE"], rows: rows), terminator: "")
        }
    }

    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the images no container of the running minion uses.")

        @Option(name: .long, help: "The running minion's kubelet (HOST:PORT, as given to orca minion --listen).")
        var minion: String = "127.0.0.1:10250"

        func run() async throws {
            let request = HTTPClientRequest(url: "http://\(minion)/images/prune")
            var post = request
            post.method = .POST
            let response: HTTPClientResponse
            do {
                response = try await HTTPClient.shared.execute(post, timeout: .seconds(300))
            } catch {
                throw ValidationError("cannot reach the minion at \(minion): \(error)")
            }
            let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
            guard response.status == .ok else { throw ValidationError("the minion answered \(response.status.code): \(body)") }
            print(body, terminator: "")
        }
    }
}

/// Left-aligned columns separated by three spaces, as `docker images` prints them.
enum Table {
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "   ")
        }.joined(separator: "\n") + "\n"
    }
}
