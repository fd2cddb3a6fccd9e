import Foundation
import OrcaRuntime
import Testing

@Suite("manifests, indexes and platform resolution")
struct ImageManifestTests {
    static let amd64 = "sha256:" + String(repeating: "1", count: 64)
    static let arm64 = "sha256:" + String(repeating: "2", count: 64)
    static let attestation = "sha256:" + String(repeating: "3", count: 64)

    /// A Docker manifest list as Docker Hub serves busybox: arm first, then amd64, then an
    /// attestation manifest with an unknown platform.
    static let manifestList = """
        {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[
         {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"\(arm64)","size":527,
          "platform":{"architecture":"arm64","os":"linux","variant":"v8"}},
         {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"\(amd64)","size":527,
          "platform":{"architecture":"amd64","os":"linux"}},
         {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\(attestation)","size":566,
          "platform":{"architecture":"unknown","os":"unknown"}}]}
        """

    @Test("a manifest list resolves to its linux/amd64 entry")
    func resolvesAMD64() throws {
        guard case .index(let index) = try ManifestDocument.decode(
            Data(Self.manifestList.utf8), contentType: MediaType.dockerManifestList) else {
            Issue.record("a manifest list should decode as an index")
            return
        }
        #expect(try index.manifest(for: .linuxAMD64, reference: "busybox").digest.description == Self.amd64)
    }

    @Test("an index without amd64 says which platforms it has")
    func noAMD64() throws {
        let list = Self.manifestList.replacingOccurrences(of: "\"amd64\"", with: "\"s390x\"")
        guard case .index(let index) = try ManifestDocument.decode(Data(list.utf8), contentType: nil) else {
            Issue.record("should decode as an index")
            return
        }
        do {
            _ = try index.manifest(for: .linuxAMD64, reference: "busybox")
            Issue.record("expected noMatchingPlatform")
        } catch let error as ImageError {
            guard case .noMatchingPlatform(_, let available) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(available == ["linux/arm64/v8", "linux/s390x", "unknown/unknown"])
        }
    }

    @Test("documents are told apart by Content-Type, their mediaType, or their shape")
    func decodesKinds() throws {
        let manifest = """
            {"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json",
             "digest":"\(Self.amd64)","size":10},"layers":[{"mediaType":
             "application/vnd.oci.image.layer.v1.tar+gzip","digest":"\(Self.arm64)","size":20}]}
            """
        // OCI manifests need not carry mediaType, and a registry may say application/json.
        guard case .manifest(let decoded) = try ManifestDocument.decode(Data(manifest.utf8),
                                                                         contentType: "application/json") else {
            Issue.record("should decode as a manifest")
            return
        }
        #expect(decoded.layers.count == 1)
        #expect(decoded.config.size == 10)
        guard case .index = try ManifestDocument.decode(Data(Self.manifestList.utf8), contentType: nil) else {
            Issue.record("should decode as an index")
            return
        }
    }

    @Test("schema 1 and unknown types are refused as unsupported")
    func refusesSchema1() {
        let schema1 = #"{"schemaVersion":1,"name":"busybox","tag":"latest","fsLayers":[]}"#
        #expect(throws: ImageError.unsupportedMediaType("application/vnd.docker.distribution.manifest.v1+prettyjws")) {
            try ManifestDocument.decode(Data(schema1.utf8),
                                        contentType: "application/vnd.docker.distribution.manifest.v1+prettyjws")
        }
        #expect(throws: ImageError.self) { try ManifestDocument.decode(Data("not json".utf8), contentType: nil) }
    }

    @Test("image configs decode Docker's capitalised keys")
    func decodesConfig() throws {
        let json = """
            {"architecture":"amd64","os":"linux","config":{"Entrypoint":["/bin/sh","-c"],"Cmd":["echo hi"],
             "Env":["PATH=/bin"],"WorkingDir":"/srv","User":"1000:1000","ExposedPorts":{"80/tcp":{}}},
             "rootfs":{"type":"layers","diff_ids":["\(Self.amd64)"]}}
            """
        let config = try JSONDecoder().decode(ImageConfiguration.self, from: Data(json.utf8))
        #expect(config.config?.entrypoint == ["/bin/sh", "-c"])
        #expect(config.config?.cmd == ["echo hi"])
        #expect(config.config?.env == ["PATH=/bin"])
        #expect(config.config?.workingDir == "/srv")
        #expect(config.config?.user == "1000:1000")
        #expect(config.rootfs.diffIDs.map(\.description) == [Self.amd64])
    }
}
