import OrcaAPI

/// The equality selectors of one kind (RCs, services) by namespace, to answer "which of them
/// select a pod with these labels?" when a pod changes. Objects without a selector are not kept.
struct SelectorIndex: Sendable {
    /// namespace -> object name -> selector.
    private var selectors: [String: [String: LabelSelector]] = [:]

    init() {}

    /// Records the selector of `name` in `namespace`; an empty or nil selector removes it.
    mutating func set(namespace: String, name: String, selector: [String: String]?) {
        if let selector, !selector.isEmpty {
            selectors[namespace, default: [:]][name] = LabelSelector(selector)
        } else {
            remove(namespace: namespace, name: name)
        }
    }

    mutating func remove(namespace: String, name: String) {
        selectors[namespace]?[name] = nil
        if selectors[namespace]?.isEmpty == true { selectors[namespace] = nil }
    }

    /// The names of the objects in `namespace` whose selector matches `labels`.
    func names(namespace: String, selecting labels: [String: String]?) -> [String] {
        guard let objects = selectors[namespace] else { return [] }
        return objects.compactMap { name, selector in selector.matches(labels) ? name : nil }
    }
}
