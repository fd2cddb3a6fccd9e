import OrcaAPI

/// Service IPs on create, update and delete.
enum ServiceAdmission {
    /// Gives the service an IP: a free one, or the one it asks for (422 when taken).
    static func allocate(_ service: inout Service, _ allocator: ServiceIPAllocator) async throws {
        let name = service.metadata.name ?? ""
        let requested = service.spec?.clusterIP ?? ""
        if requested == "None" { return }
        if requested.isEmpty {
            service.spec?.clusterIP = try await allocator.allocate()
        } else {
            try await allocator.allocate(requested, service: name)
        }
    }

    static func release(_ service: Service, _ allocator: ServiceIPAllocator) async {
        if let ip = service.spec?.clusterIP, ip != "None", !ip.isEmpty { await allocator.release(ip) }
    }

    /// An update that leaves clusterIP out keeps the allocated one (kubecfg update sends none).
    static func keepClusterIP(_ new: inout Service, _ old: Service) {
        if (new.spec?.clusterIP ?? "").isEmpty { new.spec?.clusterIP = old.spec?.clusterIP }
    }
}
