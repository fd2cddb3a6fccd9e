#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OrcaText

/// A single-platform image manifest (OCI or Docker schema 2): one config and the layers,
/// base layer first.
public struct ImageManifest: Codable, Hashable, Sendable {
    public var schemaVersion: Int
    public var mediaType: String?
    public var config: Descriptor
    public var layers: [Descriptor]
    public var annotations: [String: String]?

    public init(mediaType: String = MediaType.ociManifest, config: Descriptor, layers: [Descriptor]) {
        schemaVersion = 2
        self.mediaType = mediaType
        self.config = config
        self.layers = layers
    }
}

/// An OCI image index or Docker manifest list: one manifest per platform.
public struct ImageIndex: Codable, Hashable, Sendable {
    public var schemaVersion: Int
    public var mediaType: String?
    public var manifests: [Descriptor]
    public var annotations: [String: String]?

    public init(mediaType: String = MediaType.ociIndex, manifests: [Descriptor]) {
        schemaVersion = 2
        self.mediaType = mediaType
        self.manifests = manifests
    }

    /// The entry to run on `platform`: the first matching one, attestations and other
    /// platforms skipped. Throws ``ImageError/noMatchingPlatform(_:available:)`` naming what
    /// there is, so a pod author sees why an arm64-only image cannot run.
    public func manifest(for platform: Platform, reference: String) throws -> Descriptor {
        let candidates = manifests.filter { MediaType.isManifest($0.mediaType) || MediaType.isIndex($0.mediaType) }
        if let match = candidates.first(where: { $0.platform.map(platform.matches) ?? false }) {
            return match
        }
        // An index without platforms (an OCI layout's top index) with a single image: that image.
        if candidates.count == 1, candidates[0].platform == nil {
            return candidates[0]
        }
        throw ImageError.noMatchingPlatform(reference, available: manifests.map {
            $0.platform?.description ?? "unknown"
        })
    }
}

/// What a manifest document turned out to be.
public enum ManifestDocument: Sendable {
    case manifest(ImageManifest)
    case index(ImageIndex)

    /// Decodes `data`, trusting `contentType` when it names a known type and the document's
    /// own `mediaType` (or its shape) otherwise: registries serve OCI content as
    /// `application/json` at times, and OCI manifests need not carry `mediaType`.
    public static func decode(_ data: Data, contentType: String?) throws -> ManifestDocument {
        struct Probe: Decodable {
            var schemaVersion: Int?
            var mediaType: String?
            var manifests: [Descriptor]?
            var layers: [Descriptor]?
        }
        let probe: Probe
        do { probe = try JSONDecoder().decode(Probe.self, from: data) } catch {
            throw ImageError.invalidManifest("not a manifest: \(error)")
        }
        let header = contentType?.split(separator: ";").first.map {
            $0.trimmingWhitespace()
        }
        var type = [header, probe.mediaType].compactMap { $0 }.first {
            MediaType.isIndex($0) || MediaType.isManifest($0)
        }
        if type == nil {
            if let declared = probe.mediaType ?? header, declared.contains("vnd."), declared != "application/json" {
                throw ImageError.unsupportedMediaType(declared)
            }
            if probe.manifests != nil {
                type = MediaType.ociIndex
            } else if probe.layers != nil {
                type = MediaType.ociManifest
            }
        }
        guard let type, probe.schemaVersion == 2 else {
            throw ImageError.unsupportedMediaType(probe.mediaType ?? header ?? "schema \(probe.schemaVersion ?? 0)")
        }
        do {
            if MediaType.isIndex(type) { return .index(try JSONDecoder().decode(ImageIndex.self, from: data)) }
            return .manifest(try JSONDecoder().decode(ImageManifest.self, from: data))
        } catch {
            throw ImageError.invalidManifest("\(type): \(error)")
        }
    }
}
