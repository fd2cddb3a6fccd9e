/// The seed's API version (Kubernetes 0.5), served at `/api/v1beta1/...` by converting to and
/// from the v1 kinds that the store holds.
///
/// The types in this namespace are the wire shapes only (`V1Beta1.Pod` has `desiredState`,
/// `V1Beta1.Minion` has `hostIP`); nothing in Orca stores or acts on them. Each v1 kind that
/// is served here conforms to ``V1Beta1Convertible``. Conversion is lossy where v1beta1 has no
/// place for a v1 field (a service's second port, a container's `args`); docs/v1beta1.md lists
/// every mapping.
public enum V1Beta1 {
    /// `"v1beta1"`, the `apiVersion` of every object in this namespace.
    public static let apiVersion = "v1beta1"
}

/// Shorthand for ``V1Beta1/Status``.
public typealias V1Beta1Status = V1Beta1.Status
/// Shorthand for ``V1Beta1/List``: `V1Beta1List<Pod>(podList)` is a `PodList` in v1beta1 shape.
public typealias V1Beta1List<Item: V1Beta1Convertible> = V1Beta1.List<Item>

extension V1Beta1 {
    /// An object that carries ``TypeMeta`` inline, as every v1beta1 kind does.
    public protocol Object: Codable, Sendable, Equatable {
        var typeMeta: TypeMeta { get set }
    }

    /// An empty JSON object, as in `"emptyDir": {}` and `"restartPolicy": {"always": {}}`.
    public struct Empty: Codable, Sendable, Equatable, Hashable {
        public init() {}
    }
}

extension V1Beta1.Object {
    /// The object's name (`id` in v1beta1; `metadata.name` in v1).
    public var id: String? {
        get { typeMeta.id }
        set { typeMeta.id = newValue }
    }

    public var namespace: String? {
        get { typeMeta.namespace }
        set { typeMeta.namespace = newValue }
    }

    /// The store revision of the last write, as a JSON number.
    public var resourceVersion: UInt64? {
        get { typeMeta.resourceVersion }
        set { typeMeta.resourceVersion = newValue }
    }

    public var uid: String? {
        get { typeMeta.uid }
        set { typeMeta.uid = newValue }
    }

    public var creationTimestamp: Timestamp? {
        get { typeMeta.creationTimestamp }
        set { typeMeta.creationTimestamp = newValue }
    }

    public var annotations: [String: String]? {
        get { typeMeta.annotations }
        set { typeMeta.annotations = newValue }
    }
}

/// A coding key made at run time, for objects whose keys are not known in advance.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer {
    /// A whole number sent as a JSON number or as decimal text (`8080` or `"8080"`).
    func decodeLenientIntIfPresent(forKey key: Key) throws -> Int? {
        try decodeWholeNumberIfPresent(forKey: key, Int.init)
    }

    /// A `resourceVersion`: a JSON number in v1beta1; decimal text is accepted too.
    func decodeLenientUInt64IfPresent(forKey key: Key) throws -> UInt64? {
        try decodeWholeNumberIfPresent(forKey: key, UInt64.init)
    }

    private func decodeWholeNumberIfPresent<T: FixedWidthInteger & Decodable>(
        forKey key: Key, _ parse: (String) -> T?
    ) throws -> T? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let number = try? decode(T.self, forKey: key) { return number }
        if let text = try? decode(String.self, forKey: key) {
            if text.isEmpty { return nil }
            if let number = parse(text) { return number }
        }
        throw DecodingError.dataCorruptedError(
            forKey: key, in: self, debugDescription: "expected a whole number from \(T.min) to \(T.max)")
    }
}
