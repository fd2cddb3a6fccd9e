import Foundation
import OrcaRuntime
import OrcaTesting
import Testing

/// Shared set-up of the image tests: a store in a fresh directory, removed afterwards.
enum ImageTestSupport {
    @discardableResult
    static func withStore<R: Sendable>(
        _ registry: RegistryConfiguration = RegistryConfiguration(),
        _ body: (ImageStore, URL) async throws -> R
    ) async throws -> R {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("orca-images-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = try ImageStore(root: root, registry: registry)
        return try await body(store, root)
    }

    /// Every file name under `directory` (for "nothing left behind" checks).
    static func entries(_ directory: URL) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    }

    /// The test images' skip reason, as a comment.
    static var skip: Comment { Comment(rawValue: TestImages.skipReason) }
}
