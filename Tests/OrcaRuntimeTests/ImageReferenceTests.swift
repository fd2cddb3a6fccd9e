import Foundation
import OrcaRuntime
import Testing

@Suite("image references, manifests and registry settings")
struct ImageReferenceTests {
    @Test("references normalise as Docker's do", arguments: [
        ("busybox", "docker.io/library/busybox:latest"),
        ("busybox:1.36", "docker.io/library/busybox:1.36"),
        ("library/busybox", "docker.io/library/busybox:latest"),
        ("docker.io/library/busybox:latest", "docker.io/library/busybox:latest"),
        ("index.docker.io/library/busybox", "docker.io/library/busybox:latest"),
        ("nginxinc/nginx-unprivileged", "docker.io/nginxinc/nginx-unprivileged:latest"),
        ("127.0.0.1:5000/busybox:latest", "127.0.0.1:5000/busybox:latest"),
        ("localhost/team/app:v1", "localhost/team/app:v1"),
        ("quay.io/coreos/etcd:v3.5.0", "quay.io/coreos/etcd:v3.5.0"),
        ("host:5000/name@sha256:" + String(repeating: "a", count: 64),
         "host:5000/name@sha256:" + String(repeating: "a", count: 64)),
    ])
    func normalises(input: String, expected: String) throws {
        #expect(try ImageReference(parsing: input).description == expected)
    }

    @Test("a reference's parts")
    func parts() throws {
        let reference = try ImageReference(parsing: "127.0.0.1:5000/team/busybox:1.36")
        #expect(reference.registry == "127.0.0.1:5000")
        #expect(reference.repository == "team/busybox")
        #expect(reference.tag == "1.36")
        #expect(reference.digest == nil)
        #expect(reference.manifestReference == "1.36")
        let pinned = try ImageReference(parsing: "busybox:1.36@sha256:" + String(repeating: "b", count: 64))
        #expect(pinned.tag == "1.36")
        #expect(pinned.manifestReference == "sha256:" + String(repeating: "b", count: 64))
        #expect(try ImageReference(parsing: "busybox").familiarName == "busybox:latest")
    }

    @Test("bad references are refused with a reason", arguments: [
        "", "Busybox", "busybox:", "busybox@sha256:abc", "busybox@md5:" + String(repeating: "a", count: 32),
        "a//b", "-busybox", "busybox:-tag", "host/UPPER/name",
    ])
    func refusesBadReferences(input: String) {
        #expect(throws: ImageError.self) { try ImageReference(parsing: input) }
    }

    @Test("digests accept only sha256 with 64 lowercase hex digits")
    func digests() throws {
        let hex = String(repeating: "0123456789abcdef", count: 4)
        #expect(Digest("sha256:" + hex)?.hex == hex)
        #expect(Digest("sha256:" + hex.uppercased()) == nil)
        #expect(Digest("sha512:" + hex) == nil)
        #expect(Digest("sha256:" + hex.dropLast()) == nil)
        #expect(Digest.of(Data("abc".utf8)).description
            == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("Kubernetes' default pull policy: Always for latest, IfNotPresent for other tags and digests")
    func defaultPolicy() throws {
        #expect(PullPolicy.default(for: try ImageReference(parsing: "busybox")) == .always)
        #expect(PullPolicy.default(for: try ImageReference(parsing: "busybox:1.36")) == .ifNotPresent)
        let pinned = try ImageReference(parsing: "busybox@sha256:" + String(repeating: "c", count: 64))
        #expect(PullPolicy.default(for: pinned) == .ifNotPresent)
    }

    @Test("mirrors come before the registry; docker.io's API host is registry-1.docker.io")
    func endpoints() throws {
        var configuration = RegistryConfiguration(insecureRegistries: ["127.0.0.1:5000"])
        try configuration.addMirror("docker.io=http://10.245.2.1:5000")
        try configuration.addMirror("docker.io=https://mirror.example/")
        #expect(configuration.endpoints(for: "docker.io").map(\.base)
            == ["http://10.245.2.1:5000", "https://mirror.example", "https://registry-1.docker.io"])
        #expect(configuration.endpoints(for: "docker.io").map(\.isMirror) == [true, true, false])
        #expect(configuration.endpoints(for: "127.0.0.1:5000").map(\.base) == ["http://127.0.0.1:5000"])
        #expect(configuration.endpoints(for: "quay.io").map(\.base) == ["https://quay.io"])
        configuration.mirrors["*"] = [URL(string: "http://cache:5000")!]
        #expect(configuration.endpoints(for: "quay.io").map(\.base) == ["http://cache:5000", "https://quay.io"])
        #expect(throws: ImageError.invalidConfiguration("mirror \"docker.io\" is not HOST=http(s)://ENDPOINT")) {
            try configuration.addMirror("docker.io")
        }
        #expect(throws: ImageError.self) { try configuration.addMirror("docker.io=ftp://x") }
    }
}
