import OrcaAPI

/// A kind `kubecfg` can get, list, create, update and delete, named as users write it.
public enum ResourceKind: String, Sendable, CaseIterable {
    case pods
    case replicationControllers
    case services
    case minions
    case events
    case endpoints

    /// The kind a user's word names, case-insensitively: plural or singular (`pod`, `Pods`),
    /// the v1 names (`nodes`, `replicationcontrollers`) and short names (`po`, `rc`, `svc`, `no`).
    public init?(normalising word: String) {
        switch word.lowercased() {
        case "pods", "pod", "po": self = .pods
        case "replicationcontrollers", "replicationcontroller", "rc", "rcs": self = .replicationControllers
        case "services", "service", "svc": self = .services
        case "minions", "minion", "nodes", "node", "no": self = .minions
        case "events", "event", "ev": self = .events
        case "endpoints", "endpoint", "ep": self = .endpoints
        default: return nil
        }
    }

    /// The v1 kind behind this resource.
    public var objectType: any KubecfgKind.Type {
        switch self {
        case .pods: Pod.self
        case .replicationControllers: ReplicationController.self
        case .services: Service.self
        case .minions: Node.self
        case .events: Event.self
        case .endpoints: Endpoints.self
        }
    }

    /// The resource whose objects have this kind (`Pod`, `Minion`, `Node`, ...), for `print`.
    public init?(kind: String) {
        guard let match = ResourceKind.allCases.first(where: {
            $0.objectType.kind == kind || $0.objectType.v1beta1Kind == kind
        }) else { return nil }
        self = match
    }

    /// The names accepted on the command line, for messages.
    public static let usageNames = "minions|pods|replicationControllers|services|events|endpoints"
}

/// `pods/jenkins` (or `pods jenkins`): a resource and maybe one object's name.
public struct ResourceArgument: Sendable, Equatable {
    public var kind: ResourceKind
    public var name: String?

    public init(kind: ResourceKind, name: String? = nil) {
        self.kind = kind
        self.name = name
    }

    /// Reads `<resource>[/<id>]` or `<resource> <id>` from a verb's arguments.
    public init(_ arguments: [String], verb: String) throws(UsageError) {
        guard let first = arguments.first else {
            throw UsageError("\(verb) needs a resource: kubecfg \(verb) <\(ResourceKind.usageNames)>[/<id>]")
        }
        guard arguments.count <= 2 else {
            throw UsageError("too many arguments to \(verb): \(arguments.joined(separator: " "))")
        }
        var word = Substring(first)
        var name: String?
        if let slash = word.firstIndex(of: "/") {
            name = String(word[word.index(after: slash)...])
            word = word[..<slash]
            guard arguments.count == 1 else {
                throw UsageError("too many arguments to \(verb): \(arguments.joined(separator: " "))")
            }
        } else if arguments.count == 2 {
            name = arguments[1]
        }
        guard let kind = ResourceKind(normalising: String(word)) else {
            throw UsageError("unknown resource \"\(word)\": use one of \(ResourceKind.usageNames)")
        }
        if let name, name.isEmpty || name.contains("/") {
            throw UsageError("invalid name \"\(name)\" in \(first)")
        }
        self.init(kind: kind, name: name)
    }
}
