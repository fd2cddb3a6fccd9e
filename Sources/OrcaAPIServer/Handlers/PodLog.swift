import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import OrcaAPI

/// `GET .../pods/{name}/log[?container=&follow=&tailLines=&previous=]`: the container's log,
/// proxied from the kubelet of the minion the pod runs on (its InternalIP and the port in
/// the Node's `daemonEndpoints`), streamed as it comes.
enum PodLog {
    static func handle(_ request: APIRequest, _ endpoint: KindEndpoint<Pod>, nodes: ResourceRegistry<Node>) async throws
        -> Response {
        guard request.method == .get, let name = request.path.name else {
            throw APIError(.methodNotAllowed, "log supports only GET")
        }
        let namespace = request.namespace ?? "default"
        let pod = try await endpoint.registry.get(namespace: namespace, name: name)
        let containers = pod.spec?.containers.map(\.name) ?? []
        let parameters = request.request.uri.queryParameters
        let container: String
        if let asked = parameters.get("container"), !asked.isEmpty {
            guard containers.contains(asked) else {
                throw APIError.badRequest("container \(asked) is not valid for pod \(name)")
            }
            container = asked
        } else {
            guard containers.count == 1 else {
                throw APIError.badRequest("a container name must be specified for pod \(name), choose one of: \(containers)")
            }
            container = containers[0]
        }
        var query: [String] = []
        if let tail = parameters.get("tailLines") {
            guard let lines = Int(tail), lines >= 0 else {
                throw APIError.badRequest("tailLines: invalid value \"\(tail)\": must be a non-negative integer")
            }
            query.append("tailLines=\(lines)")
        }
        if parameters.get("follow") == "true" { query.append("follow=true") }
        if parameters.get("previous") == "true" { query.append("previous=true") }

        guard let nodeName = pod.spec?.nodeName, !nodeName.isEmpty else {
            throw APIError.badRequest("pod \(name) is not scheduled to a minion yet: it has no logs")
        }
        let node = try await nodes.get(namespace: nil, name: nodeName)
        guard let host = node.status?.addresses?.first(where: { $0.type == "InternalIP" })?.address,
              let port = node.status?.daemonEndpoints?.kubeletEndpoint?.port, port > 0 else {
            throw APIError(.unavailable, "minion \(nodeName) does not say where its kubelet listens")
        }
        let url = "http://\(host):\(port)/containerLogs/\(namespace)/\(name)/\(container)"
            + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        let upstream: HTTPClientResponse
        do {
            upstream = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        } catch {
            throw APIError(.unavailable, "cannot reach the kubelet of minion \(nodeName) at \(host):\(port): \(error)")
        }
        guard upstream.status == .ok else {
            let text = String(buffer: try await upstream.body.collect(upTo: 64 * 1024))
            if upstream.status == .notFound {
                throw APIError.badRequest("container \"\(container)\" in pod \"\(name)\" has not started: \(text)")
            }
            throw APIError(.unavailable, "the kubelet of minion \(nodeName) answered \(upstream.status.code): \(text)")
        }
        let body = ResponseBody { writer in
            for try await chunk in upstream.body { try await writer.write(chunk) }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: body)
    }
}
