// Temporary: minimal defaulting and validation so the module compiles; replaced by per-kind
// `Kind+Validation.swift` / `Kind+Defaults.swift` files.
extension Pod {
    public mutating func setDefaults() {}
    public func validate() -> [FieldError] { [] }
}
extension ReplicationController {
    public mutating func setDefaults() {}
    public func validate() -> [FieldError] { [] }
}
extension Service {
    public mutating func setDefaults() {}
    public func validate() -> [FieldError] { [] }
}
extension Endpoints {
    public mutating func setDefaults() {}
    public func validate() -> [FieldError] { [] }
}
extension Node {
    public mutating func setDefaults() {}
    public func validate() -> [FieldError] { [] }
}
extension Event {
    public mutating func setDefaults() {}
    public func validate() -> [FieldError] { [] }
}
