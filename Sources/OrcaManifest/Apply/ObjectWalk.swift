import Foundation

/// The walks server-side apply makes over an object and its schema (structured-merge-diff's
/// `typed` package): the field set an object sets, the comparison of two versions, the merge of
/// an applied configuration into the live object, and the removal of a set of fields.
///
/// A list whose schema says `listType: map` is keyed by its `listMapKeys`, one with `listType:
/// set` by value; other lists, and every list the schema does not declare, are atomic: one leaf.
enum ObjectWalk {
    /// A malformed object, worded as structured-merge-diff words it (`.spec.containers: element 0:
    /// associative list with keys has an element that omits key field "name" ...`).
    struct Failure: Error {
        var message: String
        init(_ path: [PathElement], _ message: String) {
            self.message = path.isEmpty ? message : FieldPath(path).description + ": " + message
        }
    }

    /// What changed from one version to the next.
    struct Comparison {
        var added = FieldSet()
        var modified = FieldSet()
        var removed = FieldSet()

        /// Leaves out `fields` and everything below them (Kubernetes' reset fields such as `status`).
        func excluding(_ fields: FieldSet) -> Comparison {
            Comparison(added: added.removingPrefixes(of: fields), modified: modified.removingPrefixes(of: fields),
                       removed: removed.removingPrefixes(of: fields))
        }
    }

    /// Defaults of list-map keys that Kubernetes' OpenAPI declares (`protocol` of ports is `TCP`),
    /// so that `{containerPort: 80}` and the defaulted `{containerPort: 80, protocol: TCP}` are one element.
    static let listMapKeyDefaults: [String: FieldValue] = ["protocol": .string("TCP")]

    enum ListKind {
        case atomic, set, map([String])
    }

    static func listKind(_ node: SchemaNode) -> ListKind {
        guard let semantics = node.semantics else { return .atomic }
        switch semantics.listType {
        case "map":
            let keys = semantics.listMapKeys ?? semantics.patchMergeKey.map { [$0] } ?? []
            return keys.isEmpty ? .atomic : .map(keys)
        case "set": return .set
        default: return .atomic
        }
    }

    /// How a value is walked under `node`.
    enum Shape {
        case leaf, map, list([String]?)
    }

    static func shape(_ value: Any, _ node: SchemaNode) -> Shape {
        switch JSONValue.kind(value) {
        case .object:
            switch node.shape {
            case .object, .map, .unknown: return .map
            default: return .leaf
            }
        case .array:
            switch listKind(node) {
            case .atomic: return .leaf
            case .set: return .list(nil)
            case .map(let keys): return .list(keys)
            }
        default:
            return .leaf
        }
    }

    static func present(_ value: Any?) -> Any? {
        guard let value, JSONValue.kind(value) != .null else { return nil }
        return value
    }

    static func childNode(_ node: SchemaNode, _ element: PathElement) -> SchemaNode {
        if case .field(let name) = element { return node.member(name) }
        return node.element
    }

    /// The path element naming `item` in a keyed (`keys`) or set (`keys == nil`) list.
    static func pathElement(_ item: Any, keys: [String]?, at path: [PathElement], index: Int) throws(Failure)
        -> PathElement {
        guard let keys else {
            guard let value = FieldValue(json: item), JSONValue.kind(item) != .object, JSONValue.kind(item) != .array
            else {
                throw Failure(path, "element \(index): associative list without keys has an element that's a "
                    + (JSONValue.kind(item) == .object ? "map" : "list") + " type")
            }
            return .value(value)
        }
        guard let object = item as? [String: Any] else {
            throw Failure(path, "element \(index): associative list with keys may not have non-map elements")
        }
        var fields: [KeyField] = []
        for key in keys {
            if let member = present(object[key]), let value = FieldValue(json: member) {
                fields.append(KeyField(key, value))
            } else if let value = listMapKeyDefaults[key] {
                fields.append(KeyField(key, value))
            } else {
                throw Failure(path, "element \(index): associative list with keys has an element that omits key "
                    + "field \(JSONValue.goQuote(key)) (and doesn't have default value)")
            }
        }
        return .key(fields.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) })
    }

    // MARK: Field sets

    /// The fields `value` sets. With `rejectDuplicates`, two elements of a keyed list with one
    /// key are an error (an applied configuration); otherwise the key alone is recorded.
    static func fieldSet(_ value: Any, _ node: SchemaNode, rejectDuplicates: Bool) throws(Failure) -> FieldSet {
        var set = FieldSet()
        try collect(value, node, [], into: &set, rejectDuplicates: rejectDuplicates)
        return set
    }

    private static func collect(
        _ value: Any, _ node: SchemaNode, _ path: [PathElement], into set: inout FieldSet, rejectDuplicates: Bool
    ) throws(Failure) {
        switch shape(value, node) {
        case .leaf:
            set.insert(FieldPath(path))
        case .map:
            for (key, member) in value as! [String: Any] {
                let childPath = path + [.field(key)]
                try collect(member, node.member(key), childPath, into: &set, rejectDuplicates: rejectDuplicates)
                let empty = (member as? [String: Any])?.isEmpty == true
                if JSONValue.kind(member) == .null || empty || !node.declares(key) {
                    set.insert(FieldPath(childPath))
                }
            }
        case .list(let keys):
            let items = value as! [Any]
            var elements: [PathElement] = []
            var seen: Set<PathElement> = []
            var duplicates: Set<PathElement> = []
            for (index, item) in items.enumerated() {
                let element = try pathElement(item, keys: keys, at: path, index: index)
                elements.append(element)
                if !seen.insert(element).inserted {
                    if rejectDuplicates { throw Failure(path, "duplicate entries for key \(element)") }
                    duplicates.insert(element)
                }
            }
            for element in duplicates { set.insert(FieldPath(path + [element])) }
            for (item, element) in zip(items, elements) where !duplicates.contains(element) {
                try collect(item, node.element, path + [element], into: &set, rejectDuplicates: rejectDuplicates)
                set.insert(FieldPath(path + [element]))
            }
        }
    }

    /// `set` with every declared field that has children made a member too (structured-merge-diff's
    /// `EnsureNamedFieldsAreMembers`), so that removing it removes the whole field.
    static func withNamedFieldsAsMembers(_ set: FieldSet, _ node: SchemaNode) -> FieldSet {
        var out = FieldSet()
        out.members = set.members
        for (element, child) in set.children {
            if case .field(let name) = element, node.declares(name) { out.members.insert(element) }
            out.children[element] = withNamedFieldsAsMembers(child, childNode(node, element))
        }
        return out
    }

    // MARK: Comparison

    static func compare(_ old: Any?, _ new: Any?, _ node: SchemaNode) throws(Failure) -> Comparison {
        var comparison = Comparison()
        try compare(present(old), present(new), node, [], into: &comparison)
        return comparison
    }

    private static func compare(
        _ lhs: Any?, _ rhs: Any?, _ node: SchemaNode, _ path: [PathElement], into c: inout Comparison
    ) throws(Failure) {
        guard let any = lhs ?? rhs else { return }
        let shapes = (lhs.map { shape($0, node) }, rhs.map { shape($0, node) })
        let sameShape: Bool = switch shapes {
        case (.map?, .map?), (.map?, nil), (nil, .map?), (.list?, .list?), (.list?, nil), (nil, .list?): true
        default: false
        }
        let emptyOrAbsent = { (v: Any?) -> Bool in
            v == nil || (v as? [String: Any])?.isEmpty == true || (v as? [Any])?.isEmpty == true
        }
        let isLeaf = if case .leaf = shape(any, node) { true } else { false }
        if !sameShape || isLeaf || (emptyOrAbsent(lhs) && emptyOrAbsent(rhs)) {
            if lhs == nil {
                c.added.insert(FieldPath(path))
            } else if rhs == nil {
                c.removed.insert(FieldPath(path))
            } else if !JSONValue.equal(lhs!, rhs!) {
                c.modified.insert(FieldPath(path))
            }
            return
        }
        switch shape(any, node) {
        case .map:
            var l = lhs as? [String: Any] ?? [:]
            var r = rhs as? [String: Any] ?? [:]
            if path.isEmpty { seedTopLevelStructs(&l, &r, node) }
            for key in Set(l.keys).union(r.keys) {
                try compare(present(l[key]), present(r[key]), node.member(key), path + [.field(key)], into: &c)
            }
        case .list(let keys):
            try compareLists(lhs as? [Any] ?? [], rhs as? [Any] ?? [], keys: keys, node, path, into: &c)
        case .leaf:
            break
        }
        if !path.isEmpty {
            if lhs == nil { c.added.insert(FieldPath(path)) } else if rhs == nil { c.removed.insert(FieldPath(path)) }
        }
    }

    /// Kubernetes compares Go objects, whose `metadata`, `spec` and `status` are never absent; an
    /// object here may lack them, so one missing on a side counts as empty there rather than new.
    private static func seedTopLevelStructs(_ l: inout [String: Any], _ r: inout [String: Any], _ node: SchemaNode) {
        for key in Set(l.keys).union(r.keys) {
            guard case .object = node.member(key).shape else { continue }
            if present(l[key]) == nil { l[key] = [String: Any]() }
            if present(r[key]) == nil { r[key] = [String: Any]() }
        }
    }

    private static func compareLists(
        _ lhs: [Any], _ rhs: [Any], keys: [String]?, _ node: SchemaNode, _ path: [PathElement],
        into c: inout Comparison
    ) throws(Failure) {
        var order: [PathElement] = []
        var left: [PathElement: [Any]] = [:]
        var right: [PathElement: [Any]] = [:]
        for (index, item) in lhs.enumerated() {
            let element = try pathElement(item, keys: keys, at: path, index: index)
            if left[element] == nil { order.append(element) }
            left[element, default: []].append(item)
        }
        for (index, item) in rhs.enumerated() {
            let element = try pathElement(item, keys: keys, at: path, index: index)
            if left[element] == nil && right[element] == nil { order.append(element) }
            right[element, default: []].append(item)
        }
        for element in order {
            let l = left[element] ?? []
            let r = right[element] ?? []
            let elementPath = path + [element]
            switch (l.count, r.count) {
            case (0...1, 0...1):
                try compare(l.first, r.first, node.element, elementPath, into: &c)
            case (2..., 2...):
                if l.count != r.count || !zip(l, r).allSatisfy({ JSONValue.equal($0, $1) }) {
                    c.modified.insert(FieldPath(elementPath))
                }
            case (2..., _):
                if let added = r.first { try compare(nil, added, node.element, elementPath, into: &c) }
                c.removed.insert(FieldPath(elementPath))
            default:
                if let removed = l.first { try compare(removed, nil, node.element, elementPath, into: &c) }
                c.added.insert(FieldPath(elementPath))
            }
        }
    }

    // MARK: Merge

    /// `config` merged into `live`: the configuration's values win; keyed and set lists merge by
    /// element, keeping the configuration's order for the elements it names.
    static func merge(_ live: Any?, _ config: Any?, _ node: SchemaNode, _ path: [PathElement] = [])
        throws(Failure) -> Any? {
        guard let config else { return live }
        guard let live else { return config }
        switch (shape(live, node), shape(config, node)) {
        case (.map, .map):
            let l = live as! [String: Any]
            let r = config as! [String: Any]
            if l.isEmpty && r.isEmpty { return config }
            var out: [String: Any] = [:]
            for key in Set(l.keys).union(r.keys) {
                out[key] = try merge(l[key], r[key], node.member(key), path + [.field(key)])
            }
            return out
        case (.list(let keys), .list):
            let l = live as! [Any]
            let r = config as! [Any]
            if l.isEmpty && r.isEmpty { return config }
            return try mergeLists(l, r, keys: keys, node, path)
        default:
            return config
        }
    }

    private static func mergeLists(
        _ lhs: [Any], _ rhs: [Any], keys: [String]?, _ node: SchemaNode, _ path: [PathElement]
    ) throws(Failure) -> [Any] {
        var rightElements: [PathElement] = []
        var right: [PathElement: Any] = [:]
        for (index, item) in rhs.enumerated() {
            let element = try pathElement(item, keys: keys, at: path, index: index)
            guard right[element] == nil else { throw Failure(path, "duplicate entries for key \(element)") }
            right[element] = item
            rightElements.append(element)
        }
        var leftElements: [PathElement] = []
        // Nil for an element the live list holds twice: such elements are not merged.
        var left: [PathElement: Any?] = [:]
        for (index, item) in lhs.enumerated() {
            let element = try pathElement(item, keys: keys, at: path, index: index)
            left[element] = left[element] == nil ? .some(item) : .some(nil)
            leftElements.append(element)
        }
        var shared = rightElements.filter { left[$0] != nil }[...]
        var nextShared = shared.popFirst()
        var mergedRight: Set<PathElement> = []
        var out: [Any] = []
        func mergeItem(_ element: PathElement, _ l: Any?, _ r: Any?) throws(Failure) {
            if let merged = try merge(l, r, node.element, path + [element]) { out.append(merged) }
        }
        var i = 0
        var j = 0
        while i < leftElements.count || j < rightElements.count {
            if i < leftElements.count && j < rightElements.count {
                let element = leftElements[i]
                if element == rightElements[j] {
                    mergedRight.insert(element)
                    try mergeItem(element, left[element] ?? nil, right[element])
                    i += 1
                    j += 1
                    nextShared = shared.popFirst()
                    continue
                }
                if right[element] != nil, let next = nextShared, next != element {
                    i += 1
                    continue
                }
            }
            if i < leftElements.count {
                let element = leftElements[i]
                if right[element] == nil {
                    try mergeItem(element, lhs[i], nil)
                    i += 1
                    continue
                } else if mergedRight.contains(element) {
                    i += 1
                }
            }
            if j < rightElements.count {
                let element = rightElements[j]
                mergedRight.insert(element)
                try mergeItem(element, left[element] ?? nil, right[element])
                j += 1
                if nextShared == element { nextShared = shared.popFirst() }
            }
        }
        return out
    }

    // MARK: Removal

    /// `value` without the fields of `set` (a member goes with everything below it). A map or
    /// list the removal empties goes too (nil).
    static func removing(_ set: FieldSet, from value: Any, _ node: SchemaNode) -> Any? {
        if set.isEmpty { return value }
        switch shape(value, node) {
        case .leaf:
            return value
        case .map:
            var out: [String: Any] = [:]
            for (key, member) in value as! [String: Any] {
                let element = PathElement.field(key)
                if set.members.contains(element) { continue }
                if let below = set.children[element] {
                    if let rest = removing(below, from: member, node.member(key)) { out[key] = rest }
                } else {
                    out[key] = member
                }
            }
            return out.isEmpty ? nil : out
        case .list(let keys):
            var out: [Any] = []
            for (index, item) in (value as! [Any]).enumerated() {
                guard let element = try? pathElement(item, keys: keys, at: [], index: index) else {
                    out.append(item)
                    continue
                }
                if set.members.contains(element) { continue }
                if let below = set.children[element] {
                    if let rest = removing(below, from: item, node.element) { out.append(rest) }
                } else {
                    out.append(item)
                }
            }
            return out.isEmpty ? nil : out
        }
    }
}
