#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What a type's `Decodable` conformance cannot say about its schema: its definition's package,
/// descriptions, which fields Kubernetes requires, and how its lists merge.
///
/// Every member has a default, so a type conforms only for what it adds.
public protocol SchemaDescribed {
    /// The package of its definition name: `io.k8s.api.core.v1` (the default) gives
    /// `io.k8s.api.core.v1.PodSpec`.
    static var schemaPackage: String { get }
    /// The type name in its definition when it differs from the Swift name.
    static var schemaTypeName: String? { get }
    static var schemaDescription: String? { get }
    static var fieldDescriptions: [String: String] { get }
    /// Fields Kubernetes' schema marks required, where the Swift type decodes them leniently
    /// (so that validation, not decoding, reports them with their path).
    static var requiredFields: Set<String> { get }
    /// How list fields merge (patch strategy, merge key, list type).
    static var fieldSemantics: [String: ListSemantics] { get }
}

extension SchemaDescribed {
    public static var schemaPackage: String { SchemaPackage.core }
    public static var schemaTypeName: String? { nil }
    public static var schemaDescription: String? { nil }
    public static var fieldDescriptions: [String: String] { [:] }
    public static var requiredFields: Set<String> { [] }
    public static var fieldSemantics: [String: ListSemantics] { [:] }
}

/// Kubernetes' definition-name packages.
public enum SchemaPackage {
    public static let core = "io.k8s.api.core.v1"
    public static let meta = "io.k8s.apimachinery.pkg.apis.meta.v1"
    public static let events = "io.k8s.api.events.v1"
    public static let autoscaling = "io.k8s.api.autoscaling.v1"
}

/// A type decoded from one JSON value (a string, a number) rather than an object: its schema and
/// a value the recorder can hand back while reading the types that contain it.
public protocol SchemaLeaf: Decodable {
    static var leafSchema: SchemaType { get }
    static var schemaPlaceholder: Self { get }
}

extension SchemaLeaf where Self: CaseIterable & RawRepresentable, RawValue == String {
    public static var leafSchema: SchemaType { .string(enumValues: allCases.map(\.rawValue)) }
    public static var schemaPlaceholder: Self { allCases.first! }
}

extension RestartPolicy: SchemaLeaf {}
extension PullPolicy: SchemaLeaf {}
extension PodPhase: SchemaLeaf {}

extension PortProtocol: SchemaLeaf {
    public static var leafSchema: SchemaType { .string(enumValues: supported.map(\.rawValue)) }
    public static var schemaPlaceholder: PortProtocol { .tcp }
}

extension Quantity: SchemaLeaf {
    public static var leafSchema: SchemaType { .quantity }
    public static var schemaPlaceholder: Quantity { Quantity(integer: 0) }
}

extension IntOrString: SchemaLeaf {
    public static var leafSchema: SchemaType { .intOrString }
    public static var schemaPlaceholder: IntOrString { .int(0) }
}

extension Timestamp: SchemaLeaf {
    public static var leafSchema: SchemaType { .string(format: "date-time") }
    public static var schemaPlaceholder: Timestamp { Timestamp(Date(timeIntervalSince1970: 0)) }
}
