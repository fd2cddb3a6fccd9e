// Field paths in error causes, translated between v1 (`spec.containers[0].image`) and v1beta1
// (`desiredState.manifest.containers[0].image`). Best effort: a path no rule knows is kept.

extension V1Beta1 {
    /// The v1beta1 name of a v1 field path of `kind` (`Pod`, `pods`, `Minion`, `nodes`, ...).
    ///
    /// `metadata.name` -> `id`; `spec.containers[0].image` -> `desiredState.manifest.containers[0].image`;
    /// a path without a known mapping (or of an unknown kind) is returned unchanged.
    public static func fieldPath(fromV1 path: String, kind: String?) -> String {
        FieldPathRules.translate(path, rules: FieldPathRules.rules(for: kind), toV1Beta1: true)
    }

    /// The v1 name of a v1beta1 field path of `kind`; the inverse of ``fieldPath(fromV1:kind:)``
    /// where the mapping is one-to-one.
    public static func v1FieldPath(fromV1Beta1 path: String, kind: String?) -> String {
        FieldPathRules.translate(path, rules: FieldPathRules.rules(for: kind), toV1Beta1: false)
    }
}

/// One prefix mapping. `[*]` stands for any list index and carries it across.
struct FieldPathRule {
    enum Extent {
        /// Maps the prefix and keeps what follows it.
        case prefix
        /// Maps only the whole path.
        case exact
        /// Maps the prefix and drops what follows (v1beta1 has no finer name for it).
        case truncating
    }

    let v1: [Substring]
    let v1beta1: [Substring]
    /// Only translates v1 -> v1beta1: its v1beta1 side belongs to another rule on the way back.
    let oneWay: Bool
    let extent: Extent

    init(_ v1: String, _ v1beta1: String, oneWay: Bool = false, extent: Extent = .prefix) {
        self.v1 = FieldPathRules.tokens(v1)
        self.v1beta1 = FieldPathRules.tokens(v1beta1)
        self.oneWay = oneWay || extent != .prefix
        self.extent = extent
    }
}

enum FieldPathRules {
    static func rules(for kind: String?) -> [FieldPathRule] {
        switch kind?.lowercased() {
        case "pod", "pods": metadata + pod
        case "replicationcontroller", "replicationcontrollers": metadata + replicationController
        case "service", "services": metadata + service
        case "node", "nodes", "minion", "minions": metadata + node
        case "endpoints": metadata + endpoints
        case "event", "events": metadata + event
        default: metadata
        }
    }

    static let metadata: [FieldPathRule] = [
        "name": "id", "generateName": "generateName", "namespace": "namespace", "uid": "uid",
        "resourceVersion": "resourceVersion", "creationTimestamp": "creationTimestamp", "selfLink": "selfLink",
        "labels": "labels", "annotations": "annotations",
    ].map { FieldPathRule("metadata.\($0.key)", $0.value) }

    /// A pod spec at `v1` whose v1beta1 state is at `state` and node selector at `selector`.
    static func podSpec(v1: String, state: String, selector: String) -> [FieldPathRule] {
        let containers = "\(state).manifest.containers[*]"
        return [
            FieldPathRule(v1, "\(state).manifest"),
            FieldPathRule("\(v1).nodeName", "\(state).host"),
            FieldPathRule("\(v1).nodeSelector", selector),
            FieldPathRule("\(v1).containers[*].args", "\(containers).command", oneWay: true),
            FieldPathRule("\(v1).containers[*].resources.limits[memory]", "\(containers).memory"),
            FieldPathRule("\(v1).containers[*].resources.requests[memory]", "\(containers).memory", oneWay: true),
            FieldPathRule("\(v1).containers[*].resources.limits[cpu]", "\(containers).cpu"),
            FieldPathRule("\(v1).containers[*].resources.requests[cpu]", "\(containers).cpu", oneWay: true),
            FieldPathRule("\(v1).containers[*].securityContext.privileged", "\(containers).privileged"),
            FieldPathRule("\(v1).volumes[*].emptyDir", "\(state).manifest.volumes[*].source.emptyDir"),
            FieldPathRule("\(v1).volumes[*].hostPath", "\(state).manifest.volumes[*].source.hostDir"),
        ]
    }

    static let pod: [FieldPathRule] = podSpec(v1: "spec", state: "desiredState", selector: "nodeSelector") + [
        FieldPathRule("status", "currentState"),
        FieldPathRule("status.phase", "currentState.status"),
        FieldPathRule("status.containerStatuses", "currentState.info", extent: .truncating),
    ]

    static let replicationController: [FieldPathRule] = [
        FieldPathRule("spec", "desiredState"),
        FieldPathRule("spec.replicas", "desiredState.replicas"),
        FieldPathRule("spec.selector", "desiredState.replicaSelector"),
        FieldPathRule("spec.template", "desiredState.podTemplate"),
        FieldPathRule("spec.template.metadata.labels", "desiredState.podTemplate.labels"),
        FieldPathRule("spec.template.metadata.annotations", "desiredState.podTemplate.annotations"),
        FieldPathRule("status", "currentState"),
    ] + podSpec(v1: "spec.template.spec", state: "desiredState.podTemplate.desiredState",
                selector: "desiredState.podTemplate.nodeSelector")

    static let service: [FieldPathRule] = [
        FieldPathRule("spec.ports", "port", extent: .exact),
        FieldPathRule("spec.ports[0].port", "port"),
        FieldPathRule("spec.ports[0].targetPort", "containerPort"),
        FieldPathRule("spec.ports[0].protocol", "protocol"),
        FieldPathRule("spec.selector", "selector"),
        FieldPathRule("spec.clusterIP", "portalIP"),
        FieldPathRule("spec.externalIPs", "publicIPs"),
        FieldPathRule("spec.sessionAffinity", "sessionAffinity"),
        FieldPathRule("spec.type", "createExternalLoadBalancer"),
    ]

    static let node: [FieldPathRule] = [
        FieldPathRule("spec.podCIDR", "podCIDR"),
        FieldPathRule("spec.unschedulable", "unschedulable"),
        FieldPathRule("spec.externalID", "externalID"),
        FieldPathRule("status.capacity", "resources.capacity"),
        FieldPathRule("status.conditions[*].type", "status.conditions[*].kind"),
        FieldPathRule("status.conditions[*].lastHeartbeatTime", "status.conditions[*].lastProbeTime"),
    ]

    static let endpoints: [FieldPathRule] = [
        FieldPathRule("subsets", "endpoints", extent: .truncating),
    ]

    static let event: [FieldPathRule] = [
        FieldPathRule("source.component", "source"),
        FieldPathRule("source.host", "host"),
        FieldPathRule("lastTimestamp", "timestamp"),
        FieldPathRule("firstTimestamp", "timestamp", oneWay: true),
        FieldPathRule("type", "status"),
    ]

    /// Applies the longest rule whose one side is a prefix of `path` (whole segments only).
    static func translate(_ path: String, rules: [FieldPathRule], toV1Beta1: Bool) -> String {
        let pathTokens = tokens(path)
        var best: (rule: FieldPathRule, captures: [Substring])?
        for rule in rules where toV1Beta1 || !rule.oneWay {
            let from = toV1Beta1 ? rule.v1 : rule.v1beta1
            guard from.count > (best.map { toV1Beta1 ? $0.rule.v1.count : $0.rule.v1beta1.count } ?? 0),
                  rule.extent != .exact || from.count == pathTokens.count,
                  let captures = match(from, pathTokens) else { continue }
            best = (rule, captures)
        }
        guard let (rule, captures) = best else { return path }
        let from = toV1Beta1 ? rule.v1 : rule.v1beta1
        var remaining = captures[...]
        var out: [Substring] = []
        for token in toV1Beta1 ? rule.v1beta1 : rule.v1 {
            if token == "[*]", let index = remaining.popFirst() {
                out.append(index)
            } else {
                out.append(token)
            }
        }
        return join(rule.extent == .truncating ? out : out + pathTokens.dropFirst(from.count))
    }

    /// The indices `[*]` matched, or nil when `pattern` is not a prefix of `path`.
    static func match(_ pattern: [Substring], _ path: [Substring]) -> [Substring]? {
        guard pattern.count <= path.count else { return nil }
        var captures: [Substring] = []
        for (p, t) in zip(pattern, path) {
            if p == "[*]", t.hasPrefix("["), t.dropFirst().dropLast().allSatisfy(\.isNumber) {
                captures.append(t)
            } else if p != t {
                return nil
            }
        }
        return captures
    }

    /// `spec.containers[0].resources.limits[cpu]` -> `spec`, `containers`, `[0]`, `resources`, `limits`, `[cpu]`.
    static func tokens(_ path: String) -> [Substring] {
        var out: [Substring] = []
        var start = path.startIndex
        var i = path.startIndex
        func flush(_ end: String.Index) {
            if start < end { out.append(path[start..<end]) }
        }
        while i < path.endIndex {
            switch path[i] {
            case ".":
                flush(i)
                start = path.index(after: i)
                i = start
            case "[":
                flush(i)
                let close = path[i...].firstIndex(of: "]") ?? path.index(before: path.endIndex)
                out.append(path[i...close])
                i = path.index(after: close)
                start = i
            default:
                i = path.index(after: i)
            }
        }
        flush(path.endIndex)
        return out
    }

    static func join(_ tokens: [Substring]) -> String {
        var out = ""
        for token in tokens {
            if token.hasPrefix("[") || out.isEmpty {
                out += token
            } else {
                out += ".\(token)"
            }
        }
        return out
    }
}
