/// The media types of the OCI image spec and Docker's v2 schema 2, which mean the same
/// structures with different names.
public enum MediaType {
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    public static let ociConfig = "application/vnd.oci.image.config.v1+json"
    public static let ociLayer = "application/vnd.oci.image.layer.v1.tar"
    public static let ociLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip"
    public static let ociLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd"
    public static let ociNondistributableLayerGzip = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let dockerConfig = "application/vnd.docker.container.image.v1+json"
    public static let dockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip"
    public static let dockerForeignLayerGzip = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
    public static let dockerLayer = "application/vnd.docker.image.rootfs.diff.tar"

    /// What a manifest request accepts: without the OCI types the registry converts to
    /// Docker's (or schema 1, which we refuse); without the list types it picks a platform for us.
    public static let manifestAccept = [ociManifest, ociIndex, dockerManifest, dockerManifestList]
        .joined(separator: ", ")

    /// Whether `type` names a list of per-platform manifests.
    public static func isIndex(_ type: String) -> Bool { type == ociIndex || type == dockerManifestList }

    /// Whether `type` names a single-platform image manifest.
    public static func isManifest(_ type: String) -> Bool { type == ociManifest || type == dockerManifest }

    /// Whether a layer of this type is a tar stream we can unpack (plain or gzip; the
    /// unpacker tells them apart by their first bytes, as containerd does).
    public static func isUnpackableLayer(_ type: String) -> Bool {
        [ociLayer, ociLayerGzip, ociNondistributableLayerGzip, dockerLayer, dockerLayerGzip, dockerForeignLayerGzip,
         "application/vnd.oci.image.layer.nondistributable.v1.tar"].contains(type)
    }
}
