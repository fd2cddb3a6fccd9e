#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import Logging
import NIOCore
import OrcaRuntime

/// The kubelet's HTTP server: container logs for the master to proxy
/// (`GET /containerLogs/{namespace}/{pod}/{container}?tailLines=N&follow=true&previous=true`)
/// `POST /images/prune` (images no container uses), and `/healthz`.
struct LogServer {
    let manager: PodManager
    let host: String
    let port: Int
    let logger: Logger
    /// Told the port actually bound (port 0 picks one).
    let onBound: @Sendable (Int) async -> Void

    func application() -> some ApplicationProtocol {
        let router = Router(context: KubeletRequestContext.self)
        router.get("healthz") { _, _ in "ok" }
        router.get("containerLogs/:namespace/:pod/:container") { request, context in
            try await logs(request, context)
        }
        router.post("images/prune") { _, _ in
            let report = try await manager.pruneImages()
            return Self.text(.ok, "Deleted references: \(report.removedReferences.count)\n"
                + report.removedReferences.map { "untagged: \($0)\n" }.joined()
                + "Deleted layers: \(report.removedLayers.count), blobs: \(report.removedBlobs.count)\n"
                + "Total reclaimed space: \(ByteCount.string(report.freedBytes))\n")
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onBound(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    private func logs(_ request: Request, _ context: KubeletRequestContext) async throws -> Response {
        let namespace = context.parameters.get("namespace") ?? "default"
        let pod = context.parameters.get("pod") ?? ""
        let container = context.parameters.get("container") ?? ""
        let query = request.uri.queryParameters
        let tailLines = query.get("tailLines").flatMap { Int($0) }
        let follow = query.get("follow") == "true"
        let previous = query.get("previous") == "true"
        guard let source = manager.logSource(key: "\(namespace)/\(pod)", container: container, previous: previous)
        else {
            return Self.text(.notFound, "container \"\(container)\" in pod \"\(namespace)/\(pod)\" has no log on this minion\n")
        }
        let file = LogFile(path: source.path)
        let initial = try file.read(tailLines: tailLines)
        guard follow else {
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: initial)))
        }
        let start = tailLines == nil ? UInt64(initial.count) : file.size
        let channel = context.channel
        let body = ResponseBody { writer in
            if !initial.isEmpty { try await writer.write(ByteBuffer(bytes: initial)) }
            // Ends when the container does, or when the reader has gone (a quiet container
            // would otherwise keep the stream, and the master's proxy of it, open for ever).
            try await file.follow(from: start, isFinished: { source.isFinished() || !channel.isActive }) { data in
                try await writer.write(ByteBuffer(bytes: data))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: body)
    }

    static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// The request context of the kubelet's server: Hummingbird's basics plus the connection,
/// so a followed log notices its reader leaving.
struct KubeletRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
