import Foundation
import Hummingbird
import Logging
import NIOCore

/// The kubelet's HTTP server: container logs for the master to proxy
/// (`GET /containerLogs/{namespace}/{pod}/{container}?tailLines=N&follow=true&previous=true`)
/// and `/healthz`.
struct LogServer {
    let manager: PodManager
    let host: String
    let port: Int
    let logger: Logger
    /// Told the port actually bound (port 0 picks one).
    let onBound: @Sendable (Int) async -> Void

    func application() -> some ApplicationProtocol {
        let router = Router()
        router.get("healthz") { _, _ in "ok" }
        router.get("containerLogs/:namespace/:pod/:container") { request, context in
            try await logs(request, context)
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onBound(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    private func logs(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
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
        let body = ResponseBody { writer in
            if !initial.isEmpty { try await writer.write(ByteBuffer(bytes: initial)) }
            try await file.follow(from: start, isFinished: source.isFinished) { data in
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
