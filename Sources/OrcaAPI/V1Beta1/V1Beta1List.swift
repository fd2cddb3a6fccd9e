extension V1Beta1 {
    /// A list of one kind: `{"kind": "PodList", "apiVersion": "v1beta1", "resourceVersion": 7, "items": [...]}`.
    ///
    /// A `MinionList` also carries its items under the deprecated `minions`, which old clients
    /// read; on input either key is accepted.
    public struct List<Item: V1Beta1Convertible>: Codable, Sendable, Equatable {
        public var kind: String?
        public var apiVersion: String?
        public var selfLink: String?
        /// The store revision the list was read at; a watch resumes from it.
        public var resourceVersion: UInt64?
        public var items: [Item.V1Beta1Object]

        public init(items: [Item.V1Beta1Object], resourceVersion: UInt64? = nil, selfLink: String? = nil) {
            self.kind = Item.v1beta1Kind + "List"
            self.apiVersion = V1Beta1.apiVersion
            self.selfLink = selfLink
            self.resourceVersion = resourceVersion
            self.items = items
        }

        /// A v1 list in v1beta1 shape (the same as `list.v1beta1`).
        public init(_ list: ObjectList<Item>) {
            self.init(items: list.items.map(\.v1beta1),
                      resourceVersion: list.metadata.resourceVersion.flatMap { UInt64($0) },
                      selfLink: list.metadata.selfLink)
        }

        enum CodingKeys: String, CodingKey { case kind, apiVersion, selfLink, resourceVersion, items, minions }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            kind = try c.decodeIfPresent(String.self, forKey: .kind)
            apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion)
            selfLink = try c.decodeIfPresent(String.self, forKey: .selfLink)
            resourceVersion = try c.decodeLenientUInt64IfPresent(forKey: .resourceVersion)
            // A JSON `null` list (as Go encodes an empty slice) is an empty list.
            items = try c.decodeIfPresent([Item.V1Beta1Object].self, forKey: .items)
                ?? c.decodeIfPresent([Item.V1Beta1Object].self, forKey: .minions) ?? []
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(kind, forKey: .kind)
            try c.encodeIfPresent(apiVersion, forKey: .apiVersion)
            try c.encodeIfPresent(selfLink, forKey: .selfLink)
            try c.encodeIfPresent(resourceVersion, forKey: .resourceVersion)
            try c.encode(items, forKey: .items)
            if Item.v1beta1Kind == OrcaAPI.Node.v1beta1Kind {
                try c.encode(items, forKey: .minions)
            }
        }
    }

    /// One line of a v1beta1 watch stream: `{"type": "ADDED", "object": {...}}`.
    ///
    /// `Object` is a kind's ``V1Beta1Convertible/V1Beta1Object``, or ``V1Beta1/Status`` for an
    /// `ERROR` event.
    public struct WatchEvent<Object: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
        /// `ADDED`, `MODIFIED`, `DELETED` or `ERROR`.
        public var type: String
        public var object: Object

        public init(type: String, object: Object) {
            self.type = type
            self.object = object
        }
    }
}

extension ObjectList where Item: V1Beta1Convertible {
    /// This list in v1beta1 shape (`resourceVersion` as a number).
    public var v1beta1: V1Beta1.List<Item> { V1Beta1.List(self) }

    /// A v1beta1 list in v1 shape; throws 400 when an item cannot convert.
    public init(v1beta1 list: V1Beta1.List<Item>) throws(APIError) {
        var items: [Item] = []
        items.reserveCapacity(list.items.count)
        for item in list.items { items.append(try Item(v1beta1: item)) }
        var meta = ListMeta(resourceVersion: list.resourceVersion.map { String($0) })
        meta.selfLink = list.selfLink
        self.init(items: items, metadata: meta)
    }
}
