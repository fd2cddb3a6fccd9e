// A restart or pull policy the API does not know cannot be held by these enums, so it fails
// decoding; these decoders word that failure as validation would (`Unsupported value: ...`),
// and ManifestDecoder prefixes the field path: `spec.restartPolicy: Unsupported value: "Sometimes": ...`.

extension RestartPolicy {
    public init(from decoder: any Decoder) throws {
        self = try decodeSupportedValue(RestartPolicy.self, from: decoder)
    }
}

extension PullPolicy {
    public init(from decoder: any Decoder) throws {
        self = try decodeSupportedValue(PullPolicy.self, from: decoder)
    }
}

private func decodeSupportedValue<E: RawRepresentable & CaseIterable>(
    _ type: E.Type, from decoder: any Decoder
) throws -> E where E.RawValue == String {
    let text = try decoder.singleValueContainer().decode(String.self)
    if let value = E(rawValue: text) { return value }
    let supported = E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
    throw DecodingError.dataCorrupted(.init(
        codingPath: decoder.codingPath,
        debugDescription: "Unsupported value: \"\(text)\": supported values: \(supported)"))
}
