import OrcaAPI

extension Kubecfg {
    /// `resize <controller> <replicas>`: sets `spec.replicas` and prints the controller.
    func resize(_ arguments: [String]) async throws {
        guard arguments.count == 2 else {
            throw UsageError("resize needs a controller and a count: kubecfg resize <controller> <replicas>")
        }
        let replicas = try Self.replicaCount(arguments[1])
        let rc = try await setReplicas(arguments[0], replicas)
        console.write(printer.print(rc))
    }

    /// `stop <controller>`: resizes to 0, then waits (bounded) until the controller reports no
    /// pods, and prints it.
    func stop(_ arguments: [String]) async throws {
        guard arguments.count == 1 else { throw UsageError("stop needs a controller: kubecfg stop <controller>") }
        let name = arguments[0]
        var rc = try await setReplicas(name, 0)
        var waited = Duration.zero
        while (rc.status?.replicas ?? 0) > 0 {
            guard waited < stopTimeout else {
                throw KubecfgError("controller \(name) was resized to 0 but still has \(rc.status?.replicas ?? 0) "
                    + "pods after \(GoDuration.format(stopTimeout)); check again with kubecfg list pods")
            }
            try await sleep(stopPollInterval)
            waited += stopPollInterval
            rc = try await client.get(ReplicationController.self, name: name, namespace: options.namespace)
        }
        console.write(printer.print(rc))
    }

    /// `rm <controller>`: deletes a controller that has been stopped (spec.replicas == 0).
    func remove(_ arguments: [String]) async throws {
        guard arguments.count == 1 else { throw UsageError("rm needs a controller: kubecfg rm <controller>") }
        let rc = try await client.get(ReplicationController.self, name: arguments[0], namespace: options.namespace)
        try Self.checkRemovable(rc)
        try await client.delete(ReplicationController.self, name: arguments[0], namespace: options.namespace)
    }

    /// The original's refusal to delete a controller whose pods would be orphaned.
    public static func checkRemovable(_ rc: ReplicationController) throws(KubecfgError) {
        let replicas = rc.spec?.replicas ?? 0
        guard replicas == 0 else {
            throw KubecfgError("controller has non-zero replicas (\(replicas)), please stop it first")
        }
    }

    /// `run <image> <replicas> <controller>`: creates the controller (and with `-s`, its service)
    /// and prints them.
    func runController(_ arguments: [String]) async throws {
        guard arguments.count == 3 else {
            throw UsageError("run needs an image, a count and a name: kubecfg run <image> <replicas> <controller>")
        }
        let (rc, service) = try Self.runObjects(
            image: arguments[0], replicas: try Self.replicaCount(arguments[1]), name: arguments[2],
            ports: options.ports, servicePort: options.servicePort, namespace: options.namespace)
        let created = try await client.create(rc, namespace: options.namespace)
        console.write(printer.print(created))
        if let service {
            console.write(printer.print(try await client.create(service, namespace: options.namespace)))
        }
    }

    /// What `run` creates: a controller whose selector and template labels are `name=<name>`, with
    /// one container named `lowercase(name)`; with `servicePort > 0` also a service on that port
    /// selecting `name=<name>` and forwarding to the first container port (else the same port).
    public static func runObjects(
        image: String, replicas: Int, name: String, ports: [ContainerPort], servicePort: Int, namespace: String
    ) throws(UsageError) -> (ReplicationController, Service?) {
        guard !image.isEmpty else { throw UsageError("run needs an image") }
        let labels = ["name": name]
        let container = Container(name: name.lowercased(), image: image, ports: ports.isEmpty ? nil : ports)
        let rc = ReplicationController(
            metadata: ObjectMeta(name: name, namespace: namespace, labels: labels),
            spec: ReplicationControllerSpec(
                replicas: replicas, selector: labels,
                template: PodTemplateSpec(
                    metadata: ObjectMeta(labels: labels), spec: PodSpec(containers: [container]))))
        guard servicePort > 0 else { return (rc, nil) }
        let problems = NameValidator.dns1035Label.errors(name)
        guard problems.isEmpty else {
            throw UsageError("-s \(servicePort) makes a service named \"\(name)\", which must be a DNS label: "
                + problems.joined(separator: "; "))
        }
        guard servicePort <= 65535 else {
            throw UsageError("invalid value \"\(servicePort)\" for flag -s: must be a port from 1 to 65535")
        }
        let target = ports.first.map { IntOrString.int($0.containerPort) }
        let service = Service(
            metadata: ObjectMeta(name: name, namespace: namespace, labels: labels),
            spec: ServiceSpec(ports: [ServicePort(protocol: .tcp, port: servicePort, targetPort: target)],
                              selector: labels))
        return (rc, service)
    }

    /// `rollingupdate <controller>`: with `-image`, sets the template's first container image;
    /// then deletes the controller's pods one by one, `-u` apart, so it replaces them, and
    /// waits (polling every 5 s, at most 300 s) until it has as many pods as before.
    func rollingUpdate(_ arguments: [String]) async throws {
        guard arguments.count == 1 else {
            throw UsageError(
                "rollingupdate needs a controller: kubecfg [-u <time>] [-image <image>] rollingupdate <controller>")
        }
        let name = arguments[0]
        let namespace = options.namespace
        var rc = try await client.get(ReplicationController.self, name: name, namespace: namespace)
        if !options.image.isEmpty {
            guard rc.spec?.template?.spec?.containers.isEmpty == false else {
                throw KubecfgError("controller \(name) has no container in its template to give image \(options.image)")
            }
            rc.spec?.template?.spec?.containers[0].image = options.image
            rc = try await client.update(rc)
        }
        let selector = formatLabels(rc.spec?.selector)
        guard !selector.isEmpty else {
            throw KubecfgError("controller \(name) has no selector, so its pods cannot be told from others")
        }
        let pods = try await livePods(selector: selector)
        let expected = pods.count
        guard expected > 0 else {
            console.write("Controller \(name) has no pods to update\n")
            return
        }
        for (index, pod) in pods.enumerated() {
            if index > 0 { try await sleep(options.updatePeriod) }
            let podName = pod.metadata.name ?? ""
            do {
                try await client.delete(Pod.self, name: podName, namespace: namespace)
            } catch let error as APIError where error.reason == .notFound {
                // Already gone (the controller or someone else deleted it): nothing to do.
            }
            console.write("Deleted pod \(podName) (\(index + 1)/\(expected))\n")
        }
        var waited = Duration.zero
        var count = 0
        repeat {
            guard waited < rollingUpdateTimeout else {
                throw KubecfgError("controller \(name) has \(count) of \(expected) pods after waiting "
                    + "\(GoDuration.format(rollingUpdateTimeout)); check again with kubecfg list pods")
            }
            try await sleep(pollInterval)
            waited += pollInterval
            count = try await livePods(selector: selector).count
        } while count != expected
        console.write("Controller \(name) has \(expected) pods again\n")
    }

    /// The pods a selector matches that are not being deleted, by name.
    private func livePods(selector: String) async throws -> [Pod] {
        try await client.list(Pod.self, namespace: options.namespace, labelSelector: selector, fieldSelector: nil)
            .items.filter { $0.metadata.deletionTimestamp == nil }
            .sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }
    }

    /// Sets replicas through the scale subresource (no read-modify-write race), then reads the
    /// controller back for printing.
    private func setReplicas(_ name: String, _ replicas: Int) async throws -> ReplicationController {
        _ = try await client.scale(
            replicationController: name, namespace: options.namespace, replicas: replicas, resourceVersion: nil)
        return try await client.get(ReplicationController.self, name: name, namespace: options.namespace)
    }

    static func replicaCount(_ text: String) throws(UsageError) -> Int {
        guard let n = Int(text), n >= 0 else {
            throw UsageError("invalid replica count \"\(text)\": must be a whole number, 0 or more")
        }
        return n
    }

    /// `logs <pod> [<container>]`: prints a container's log.
    func logs(_ arguments: [String]) async throws {
        guard (1...2).contains(arguments.count) else {
            throw UsageError("logs needs a pod: kubecfg logs <pod> [<container>]")
        }
        let text = try await client.logs(
            pod: arguments[0], namespace: options.namespace, container: arguments.count == 2 ? arguments[1] : nil)
        console.write(text.isEmpty || text.hasSuffix("\n") ? text : text + "\n")
    }
}
