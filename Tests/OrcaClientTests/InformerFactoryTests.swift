import Foundation
import OrcaAPI
import OrcaClient
import Testing

/// One shared informer per kind and filter, run by the factory, also when made after it started.
@Suite struct InformerFactoryTests {
    @Test func sameArgumentsGiveTheSameInformer() {
        let factory = InformerFactory(client: OrcaClient(baseURL: "http://127.0.0.1:1"))
        #expect(factory.informer(Pod.self) === factory.informer(Pod.self))
        #expect(factory.informer(Pod.self) !== factory.informer(Pod.self, namespace: "default"))
        #expect(factory.informer(Pod.self) !== factory.informer(Pod.self, fieldSelector: "spec.nodeName!="))
    }

    @Test func runsInformersMadeBeforeAndAfterItStarted() async throws {
        try await InformerTests.withServer { client, _ in
            _ = try await client.create(InformerTests.pod("a"))
            let factory = InformerFactory(client: client)
            let pods = factory.informer(Pod.self)
            let run = Task { await factory.run() }
            defer { run.cancel() }
            await pods.waitUntilSynced()
            let nodes = factory.informer(Node.self)  // made while the factory runs
            await nodes.waitUntilSynced()
            #expect(pods.get(namespace: "default", name: "a") != nil)
            #expect(pods.get(namespace: "default", names: ["a", "missing"]).map(\.metadata.name) == ["a"])
            _ = try await client.create(InformerTests.pod("b"))
            try await waitFor("the shared informer to see b") { pods.get(namespace: "default", name: "b") != nil }
        }
    }
}
