/// Merging lists and keeping their order: `$patch` elements, `$deleteFromPrimitiveList`,
/// `$setElementOrder`, and Kubernetes' ordering of merged elements (patch order for the patch's
/// elements, live order for the rest, interleaved by where they stood in the live list).
extension StrategicMergePatch {
    static func mergeSlice(
        _ original: [Any], _ patch: [Any], _ node: SchemaNode, isDeleteList: Bool
    ) throws(Failure) -> [Any] {
        if original.isEmpty && patch.isEmpty { return original }
        let kind = try elementKind(original, patch)
        let mergeKey = node.semantics?.patchMergeKey ?? ""
        guard kind == .object else {
            if isDeleteList {
                return original.filter { item in !patch.contains { JSONValue.goEqual($0, item) } }
            }
            let merged = unique(original + patch)
            let (inPatch, serverOnly) = partitionScalars(merged, by: patch)
            return try normalizeOrder(inPatch, serverOnly, patchOrder: patch, serverOrder: original,
                                      mergeKey: "", kind: kind)
        }
        guard !mergeKey.isEmpty else { throw .other("cannot merge lists without merge key for type struct") }
        let (live, elements) = try applySpecialElements(original, patch, mergeKey: mergeKey, node.element)
        let merged = try mergeElements(live, elements, mergeKey: mergeKey, node.element)
        let (inPatch, serverOnly) = try partitionMaps(merged, by: elements, mergeKey: mergeKey)
        return try normalizeOrder(inPatch, serverOnly, patchOrder: elements, serverOrder: live,
                                  mergeKey: mergeKey, kind: kind)
    }

    /// The one kind of the elements of `lists`; lists of lists are refused.
    static func elementKind(_ lists: [Any]...) throws(Failure) -> JSONValue.Kind {
        var kind: JSONValue.Kind?
        for list in lists {
            for item in list {
                let current = JSONValue.kind(item)
                if kind == nil {
                    if current == .array { throw .unprocessable }
                    kind = current
                } else if current != kind {
                    let all = JSONValue.goDescription(lists as [Any])
                    throw .other("list element types are not identical: \(all)")
                }
            }
        }
        guard let kind else { throw .other("no elements in any of the given slices") }
        return kind
    }

    private static func unique(_ items: [Any]) -> [Any] {
        var out: [Any] = []
        for item in items where !out.contains(where: { JSONValue.goEqual($0, item) }) {
            out.append(item)
        }
        return out
    }

    /// Deletes the live elements named by `$patch: delete` elements; `$patch: replace` makes the
    /// patch's other elements the whole list. Returns the live list and the plain patch elements.
    private static func applySpecialElements(
        _ original: [Any], _ patch: [Any], mergeKey: String, _ element: SchemaNode
    ) throws(Failure) -> (live: [Any], patch: [Any]) {
        var live = original
        var plain: [Any] = []
        var replace = false
        for item in patch {
            let element = item as! [String: Any]
            guard let directive = element[directiveMarker] else {
                plain.append(item)
                continue
            }
            switch directive as? String {
            case "delete":
                guard let value = element[mergeKey] else { throw .noMergeKey(element, mergeKey) }
                while let index = try findElement(live, mergeKey: mergeKey, value: value)?.index {
                    live.remove(at: index)
                }
            case "replace":
                replace = true
            case "merge":
                throw .other("merging lists cannot yet be specified in the patch")
            default:
                throw .badPatchType(directive, element)
            }
        }
        guard replace else { return (live, plain) }
        return (try plain.map { item throws(Failure) in try fresh(item, element) }, [])
    }

    /// Merges each patch element into the live element with its merge key, or appends it.
    private static func mergeElements(
        _ live: [Any], _ patch: [Any], mergeKey: String, _ element: SchemaNode
    ) throws(Failure) -> [Any] {
        var merged = live
        for item in patch {
            let patchElement = item as! [String: Any]
            guard let value = patchElement[mergeKey] else { throw .noMergeKey(patchElement, mergeKey) }
            if let (index, liveElement) = try findElement(merged, mergeKey: mergeKey, value: value) {
                merged[index] = try mergeMap(liveElement, patchElement, element)
            } else {
                merged.append(try mergeMap(nil, patchElement, element))
            }
        }
        return merged
    }

    private static func findElement(
        _ list: [Any], mergeKey: String, value: Any
    ) throws(Failure) -> (index: Int, element: [String: Any])? {
        for (index, item) in list.enumerated() {
            guard let element = item as? [String: Any] else {
                throw .other("value for key \(index) is not a map.")
            }
            if let candidate = element[mergeKey], JSONValue.goEqual(candidate, value) { return (index, element) }
        }
        return nil
    }

    // MARK: $setElementOrder

    /// Merges each list named by a `$setElementOrder/<field>` directive and orders it: the
    /// directive's order first, then the patch's, then the live list's.
    static func mergeElementOrders(
        _ original: inout [String: Any], _ patch: inout [String: Any], _ node: SchemaNode
    ) throws(Failure) {
        for key in patch.keys.sorted() where key.hasPrefix(setElementOrderPrefix) {
            let directive = patch.removeValue(forKey: key)!
            guard let order = directive as? [Any] else { throw .badArgType(expected: sliceType, directive) }
            let field = try extractKey(key, prefix: setElementOrderPrefix)
            let originalList = try list(original[field])
            let patchList = try list(patch[field])
            if case .object = node.shape, !node.declares(field) {
                throw .other("unable to find api field in struct \(node.typeName) for the json field \"\(field)\"")
            }
            let child = node.member(field)
            let mergeKey = child.semantics?.patchMergeKey ?? ""
            try validate(patchList ?? [], against: order, mergeKey: mergeKey)

            let merged: [Any]
            switch (originalList, patchList) {
            case (let live?, nil):
                merged = live
            case (nil, let added?):
                merged = try fresh(added, child) as! [Any]
            case (let live?, let added?):
                merged = child.patchStrategy.strategy == "merge"
                    ? try mergeSlice(live, added, child, isDeleteList: false)
                    : cleaned(added) as! [Any]
            case (nil, nil):
                continue
            }
            patch.removeValue(forKey: field)
            guard !merged.isEmpty else {
                original[field] = merged
                continue
            }
            let (inOrder, serverOnly) = mergeKey.isEmpty
                ? partitionScalars(merged, by: order)
                : try partitionMaps(merged, by: order, mergeKey: mergeKey)
            let kind = try elementKind(originalList ?? [], patchList ?? [])
            original[field] = try normalizeOrder(inOrder, serverOnly, patchOrder: order,
                                                 serverOrder: originalList ?? [], mergeKey: mergeKey, kind: kind)
        }
    }

    private static func list(_ value: Any?) throws(Failure) -> [Any]? {
        guard let value else { return nil }
        guard let list = value as? [Any] else { throw .badArgType(expected: sliceType, value) }
        return list
    }

    /// The patch's elements (directives aside) must appear in the `$setElementOrder` list, in its order.
    private static func validate(_ patch: [Any], against order: [Any], mergeKey: String) throws(Failure) {
        guard !patch.isEmpty, !order.isEmpty else { return }
        var elements: [Any] = []
        for item in patch {
            if !mergeKey.isEmpty {
                guard let element = item as? [String: Any] else { throw .badArgType(expected: mapType, item) }
                if element[directiveMarker] as? String == "delete" { continue }
            }
            elements.append(item)
        }
        var patchIndex = 0
        var orderIndex = 0
        while patchIndex < elements.count && orderIndex < order.count {
            if let element = elements[patchIndex] as? [String: Any], element[directiveMarker] != nil {
                patchIndex += 1
                continue
            }
            if try mergeKeysEqual(elements[patchIndex], order[orderIndex], mergeKey: mergeKey) { patchIndex += 1 }
            orderIndex += 1
        }
        if patchIndex < elements.count && orderIndex >= order.count {
            throw .other("The order in patch list:\n\(JSONValue.goDescription(patch))\n doesn't match "
                + "\(setElementOrderPrefix) list:\n\(JSONValue.goDescription(order))\n")
        }
    }

    private static func mergeKeysEqual(_ lhs: Any, _ rhs: Any, mergeKey: String) throws(Failure) -> Bool {
        guard !mergeKey.isEmpty else { return JSONValue.goEqual(lhs, rhs) }
        guard let left = lhs as? [String: Any] else { throw .badArgType(expected: mapType, lhs) }
        guard let right = rhs as? [String: Any] else { throw .badArgType(expected: mapType, rhs) }
        guard let l = left[mergeKey] else { throw .noMergeKey(left, mergeKey) }
        guard let r = right[mergeKey] else { throw .noMergeKey(right, mergeKey) }
        return JSONValue.goEqual(l, r)
    }

    // MARK: Ordering

    private static func partitionScalars(_ items: [Any], by list: [Any]) -> (in: [Any], out: [Any]) {
        var inList: [Any] = []
        var out: [Any] = []
        for item in items {
            if list.contains(where: { JSONValue.goEqual($0, item) }) {
                inList.append(item)
            } else {
                out.append(item)
            }
        }
        return (inList, out)
    }

    private static func partitionMaps(
        _ items: [Any], by list: [Any], mergeKey: String
    ) throws(Failure) -> (in: [Any], out: [Any]) {
        var inList: [Any] = []
        var out: [Any] = []
        for item in items {
            guard let element = item as? [String: Any] else { throw .badArgType(expected: mapType, item) }
            guard let value = element[mergeKey] else { throw .noMergeKey(element, mergeKey) }
            if try findElement(list, mergeKey: mergeKey, value: value) != nil {
                inList.append(item)
            } else {
                out.append(item)
            }
        }
        return (inList, out)
    }

    /// Sorts the patch's elements by `patchOrder` and the others by `serverOrder`, then interleaves
    /// them: a live element goes before a patch element when it stood before it in the live list.
    private static func normalizeOrder(
        _ patch: [Any], _ serverOnly: [Any], patchOrder: [Any], serverOrder: [Any], mergeKey: String,
        kind: JSONValue.Kind
    ) throws(Failure) -> [Any] {
        let right = try sorted(patch, by: patchOrder, mergeKey: mergeKey, kind: kind)
        let left = try sorted(serverOnly, by: serverOrder, mergeKey: mergeKey, kind: kind)
        var out: [Any] = []
        out.reserveCapacity(left.count + right.count)
        var i = 0
        var j = 0
        while i < left.count || j < right.count {
            if j >= right.count {
                out.append(left[i])
                i += 1
            } else if i >= left.count {
                out.append(right[j])
                j += 1
            } else if let li = index(of: left[i], in: serverOrder, mergeKey: mergeKey, kind: kind),
                      let ri = index(of: right[j], in: serverOrder, mergeKey: mergeKey, kind: kind), li < ri {
                out.append(left[i])
                i += 1
            } else {
                out.append(right[j])
                j += 1
            }
        }
        return out
    }

    /// `items` in the order of `order` (stable); `$patch: delete` elements and elements `order`
    /// lacks go last.
    private static func sorted(
        _ items: [Any], by order: [Any], mergeKey: String, kind: JSONValue.Kind
    ) throws(Failure) -> [Any] {
        var items = items
        var deletions: [Any] = []
        if kind == .object {
            for item in items + order {
                guard let element = item as? [String: Any] else { throw .badArgType(expected: mapType, item) }
                guard element[mergeKey] != nil else { throw .noMergeKey(element, mergeKey) }
            }
            deletions = items.filter { ($0 as? [String: Any])?[directiveMarker] as? String == "delete" }
            items = items.filter { ($0 as? [String: Any])?[directiveMarker] as? String != "delete" }
        }
        let ranked = items.enumerated().map { item in
            (item.offset, index(of: item.element, in: order, mergeKey: mergeKey, kind: kind))
        }
        let found = ranked.filter { $0.1 != nil }.sorted { ($0.1!, $0.0) < ($1.1!, $1.0) }.map { items[$0.0] }
        let missing = ranked.filter { $0.1 == nil }.map { items[$0.0] }
        return found + missing + deletions
    }

    /// Where `item` stands in `list`: by merge key for objects, by value for scalars.
    private static func index(of item: Any, in list: [Any], mergeKey: String, kind: JSONValue.Kind) -> Int? {
        func key(_ value: Any) -> Any? { kind == .object ? (value as? [String: Any])?[mergeKey] : value }
        let wanted = key(item)
        return list.firstIndex { candidate in
            switch (key(candidate), wanted) {
            case (nil, nil): true
            case (let a?, let b?): JSONValue.goEqual(a, b)
            default: false
            }
        }
    }
}
