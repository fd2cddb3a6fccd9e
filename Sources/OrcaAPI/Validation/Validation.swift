/// Checks of single strings (names, label keys and values, port names, addresses), worded as
/// Kubernetes words them.
///
/// Each `…Errors` function returns every reason the value is invalid (empty when it is valid);
/// each `is…` function is the same check as a Bool. Field-level helpers that turn these into
/// ``FieldError``s with paths are in `Validation+Fields.swift`.
public enum Validation {
    // MARK: DNS names

    /// `my-name`: at most 63 lowercase alphanumerics or '-', starting and ending alphanumeric (RFC 1123).
    public static func dns1123LabelErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > dns1123LabelMaxLength { errors.append(maxLengthError(dns1123LabelMaxLength)) }
        if !matchesDNS1123Label(value.utf8) {
            errors.append(regexError(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
                    + "start and end with an alphanumeric character",
                dns1123LabelFormat, "my-name", "123-abc"))
        }
        return errors
    }

    public static func isDNS1123Label(_ value: String) -> Bool { dns1123LabelErrors(value).isEmpty }

    /// `example.com`: at most 253 characters of dot-separated RFC 1123 labels.
    public static func dns1123SubdomainErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > dns1123SubdomainMaxLength { errors.append(maxLengthError(dns1123SubdomainMaxLength)) }
        let labels = value.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        if !labels.allSatisfy({ matchesDNS1123Label($0) }) {
            errors.append(regexError(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                    + "and must start and end with an alphanumeric character",
                dns1123SubdomainFormat, "example.com"))
        }
        return errors
    }

    public static func isDNS1123Subdomain(_ value: String) -> Bool { dns1123SubdomainErrors(value).isEmpty }

    /// `my-name`: an RFC 1123 label that also starts with a letter (RFC 1035), as service names must be.
    public static func dns1035LabelErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > dns1123LabelMaxLength { errors.append(maxLengthError(dns1123LabelMaxLength)) }
        if !(matchesDNS1123Label(value.utf8) && value.utf8.first.map(isLowerLetter) == true) {
            errors.append(regexError(
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                    + "alphabetic character, and end with an alphanumeric character",
                "[a-z]([-a-z0-9]*[a-z0-9])?", "my-name", "abc-123"))
        }
        return errors
    }

    public static func isDNS1035Label(_ value: String) -> Bool { dns1035LabelErrors(value).isEmpty }

    // MARK: Label keys and values

    /// A label or annotation key: an optional DNS subdomain prefix and '/', then a name of at most
    /// 63 alphanumerics, '-', '_' or '.', starting and ending alphanumeric (`example.com/MyName`).
    public static func qualifiedNameErrors(_ value: String) -> [String] {
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        let name: Substring
        var errors: [String] = []
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            let prefix = parts[0]
            name = parts[1]
            if prefix.isEmpty {
                errors.append("prefix part must be non-empty")
            } else {
                errors += dns1123SubdomainErrors(String(prefix)).map { "prefix part " + $0 }
            }
        default:
            return [regexError("a qualified name " + qualifiedNameMessage, qualifiedNameFormat,
                               "MyName", "my.name", "123-abc")
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        if name.isEmpty {
            errors.append("name part must be non-empty")
        } else if name.utf8.count > qualifiedNameMaxLength {
            errors.append("name part " + maxLengthError(qualifiedNameMaxLength))
        }
        if !name.isEmpty && !matchesQualifiedNamePart(name.utf8) {
            errors.append("name part " + regexError(qualifiedNameMessage, qualifiedNameFormat,
                                                    "MyName", "my.name", "123-abc"))
        }
        return errors
    }

    public static func isQualifiedName(_ value: String) -> Bool { qualifiedNameErrors(value).isEmpty }

    /// A label value: empty, or at most 63 alphanumerics, '-', '_' or '.', starting and ending alphanumeric.
    public static func labelValueErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > labelValueMaxLength { errors.append(maxLengthError(labelValueMaxLength)) }
        if !value.isEmpty && !matchesQualifiedNamePart(value.utf8) {
            errors.append(regexError(
                "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                    + "and must start and end with an alphanumeric character",
                "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?", "MyValue", "my_value", "12345"))
        }
        return errors
    }

    public static func isValidLabelValue(_ value: String) -> Bool { labelValueErrors(value).isEmpty }

    // MARK: Ports

    /// A port name (an IANA service name): at most 15 lowercase alphanumerics or '-', with a letter,
    /// no "--", not starting or ending with '-' (`http`, `jenkins-ui`).
    public static func ianaServiceNameErrors(_ value: String) -> [String] {
        var errors: [String] = []
        let bytes = value.utf8
        if bytes.count > 15 { errors.append(maxLengthError(15)) }
        if bytes.isEmpty || !bytes.allSatisfy({ isLowerLetter($0) || isDigit($0) || $0 == hyphen }) {
            errors.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
        }
        if !bytes.contains(where: isLowerLetter) { errors.append("must contain at least one letter (a-z)") }
        if value.contains("--") { errors.append("must not contain consecutive hyphens (-)") }
        if bytes.first == hyphen || bytes.last == hyphen { errors.append("must not begin or end with a hyphen (-)") }
        return errors
    }

    public static func isIANASvcName(_ value: String) -> Bool { ianaServiceNameErrors(value).isEmpty }

    public static let portRangeMessage = "must be between 1 and 65535, inclusive"

    public static func isValidPortNumber(_ port: Int) -> Bool { (1...65535).contains(port) }

    // MARK: Environment variables

    /// An environment variable name: letters, digits, '_', '-' or '.', not starting with a digit.
    public static func envVarNameErrors(_ value: String) -> [String] {
        var errors: [String] = []
        let bytes = value.utf8
        let valid = bytes.first.map { !isDigit($0) } == true
            && bytes.allSatisfy { isLetter($0) || isDigit($0) || $0 == underscore || $0 == hyphen || $0 == dot }
        if !valid {
            errors.append(regexError(
                "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or "
                    + "'.', and must not start with a digit",
                "[-._a-zA-Z][-._a-zA-Z0-9]*", "my.env-name", "MY_ENV.NAME", "MyEnvName1"))
        }
        if value == "." {
            errors.append("must not be '.'")
        } else if value == ".." {
            errors.append("must not be '..'")
        } else if value.hasPrefix("..") {
            errors.append("must not start with '..'")
        }
        return errors
    }

    public static func isEnvVarName(_ value: String) -> Bool { envVarNameErrors(value).isEmpty }

    // MARK: Addresses

    public static let ipv4Message = "must be a valid IPv4 address, (e.g. 10.9.8.7)"
    public static let ipv4CIDRMessage = "must be a valid CIDR value, (e.g. 10.9.8.0/24)"

    /// Dotted-quad IPv4 (`10.244.1.7`); no leading zeros, as Go's `net.ParseIP` now requires.
    public static func isIPv4(_ value: String) -> Bool { parseIPv4(value) != nil }

    /// `10.244.1.0/24`: an IPv4 address, '/', and a prefix length of 0 to 32.
    public static func isIPv4CIDR(_ value: String) -> Bool { parseIPv4CIDR(value) != nil }

    /// The address as a 32-bit number, or nil when it is not dotted-quad IPv4.
    public static func parseIPv4(_ value: String) -> UInt32? {
        let parts = value.utf8.split(separator: dot, omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var address: UInt32 = 0
        for part in parts {
            guard let octet = parseDecimal(part, max: 255) else { return nil }
            address = address << 8 | UInt32(octet)
        }
        return address
    }

    /// The address and prefix length of an IPv4 CIDR, or nil when it is not one.
    public static func parseIPv4CIDR(_ value: String) -> (address: UInt32, prefixLength: Int)? {
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = parseIPv4(String(parts[0])),
              let length = parseDecimal(parts[1].utf8, max: 32) else { return nil }
        return (address, length)
    }

    // MARK: Building blocks

    static let dns1123LabelMaxLength = 63
    static let dns1123SubdomainMaxLength = 253
    static let qualifiedNameMaxLength = 63
    static let labelValueMaxLength = 63
    static let dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    static let dns1123SubdomainFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
    static let qualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    static let qualifiedNameMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
            + "character"

    static func maxLengthError(_ length: Int) -> String { "must be no more than \(length) characters" }

    /// Kubernetes' `RegexError` text, examples included (its double space before "or" too).
    static func regexError(_ message: String, _ format: String, _ examples: String...) -> String {
        guard !examples.isEmpty else { return "\(message) (regex used for validation is '\(format)')" }
        var text = message + " (e.g. "
        for (i, example) in examples.enumerated() {
            if i > 0 { text += " or " }
            text += "'\(example)', "
        }
        return text + "regex used for validation is '\(format)')"
    }

    private static let hyphen = UInt8(ascii: "-")
    private static let dot = UInt8(ascii: ".")
    private static let underscore = UInt8(ascii: "_")

    private static func isLowerLetter(_ c: UInt8) -> Bool { c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") }
    private static func isLetter(_ c: UInt8) -> Bool {
        isLowerLetter(c) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
    }
    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
    private static func isAlphanumeric(_ c: UInt8) -> Bool { isLetter(c) || isDigit(c) }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`
    private static func matchesDNS1123Label<C: BidirectionalCollection<UInt8>>(_ bytes: C) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        let edge = { (c: UInt8) in isLowerLetter(c) || isDigit(c) }
        return edge(first) && edge(last) && bytes.allSatisfy { edge($0) || $0 == hyphen }
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
    private static func matchesQualifiedNamePart<C: BidirectionalCollection<UInt8>>(_ bytes: C) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        return isAlphanumeric(first) && isAlphanumeric(last)
            && bytes.allSatisfy { isAlphanumeric($0) || $0 == hyphen || $0 == underscore || $0 == dot }
    }

    /// A decimal number without sign or leading zeros, at most `max`.
    private static func parseDecimal<C: Collection<UInt8>>(_ bytes: C, max: Int) -> Int? {
        guard !bytes.isEmpty, bytes.allSatisfy(isDigit) else { return nil }
        if bytes.count > 1 && bytes.first == UInt8(ascii: "0") { return nil }
        var value = 0
        for c in bytes {
            value = value * 10 + Int(c - UInt8(ascii: "0"))
            if value > max { return nil }
        }
        return value
    }
}
