/// Parses a `kubecfg` command line the way Go's `flag` package does (`-c file`, `-c=file`,
/// `--c file`, boolean `-json` or `-json=false`), except that flags may also follow the
/// verb's arguments. `--` ends the flags; `-` and negative numbers are arguments.
///
/// Pure: no environment, no I/O. `-h` is the master's URL, as in the original; help is `-help`.
public enum FlagParser {
    private enum Kind: Sendable {
        case string(@Sendable (inout KubecfgOptions, String) throws(UsageError) -> Void)
        case bool(@Sendable (inout KubecfgOptions, Bool) -> Void)
    }

    private static let flags: [String: Kind] = [
        "c": .string { o, v throws(UsageError) in o.configFile = v },
        "l": .string { o, v throws(UsageError) in o.labelSelector = v },
        "fields": .string { o, v throws(UsageError) in o.fieldSelector = v },
        "h": .string { o, v throws(UsageError) in o.host = v },
        "p": .string { o, v throws(UsageError) in o.ports = try PortSpec.parse(v) },
        "s": .string { o, v throws(UsageError) in
            guard let port = Int(v) else { throw UsageError("invalid value \"\(v)\" for flag -s: not a number") }
            o.servicePort = port
        },
        "u": .string { o, v throws(UsageError) in
            guard let period = GoDuration.parse(v) else {
                throw UsageError("invalid value \"\(v)\" for flag -u: not a duration such as 60s, 1m30s or 500ms")
            }
            guard period >= .zero else { throw UsageError("invalid value \"\(v)\" for flag -u: must not be negative") }
            o.updatePeriod = period
        },
        "image": .string { o, v throws(UsageError) in o.image = v },
        "ns": .string { o, v throws(UsageError) in
            guard !v.isEmpty else { throw UsageError("invalid value \"\" for flag -ns: a namespace is required") }
            o.namespace = v
        },
        "api_version": .string { o, v throws(UsageError) in
            guard ["", "v1", "v1beta1"].contains(v) else {
                throw UsageError("invalid value \"\(v)\" for flag -api_version: use v1 or v1beta1")
            }
            o.apiVersion = v.isEmpty ? nil : v
        },
        "json": .bool { o, v in
            if v { o.output = .json } else if o.output == .json { o.output = .table }
        },
        "yaml": .bool { o, v in
            // `-json` wins over `-yaml`, as in the original.
            if v, o.output != .json { o.output = .yaml } else if !v, o.output == .yaml { o.output = .table }
        },
        "verbose": .bool { o, v in o.verbose = v },
        "help": .bool { o, v in o.help = v },
    ]

    /// The invocation `arguments` (without the program name) describe.
    ///
    /// Throws ``UsageError`` with Go's wording for flag errors (`flag provided but not defined: -x`,
    /// `flag needs an argument: -c`) and when no verb is given (unless `-help` is).
    public static func parse(_ arguments: [String]) throws(UsageError) -> Invocation {
        var options = KubecfgOptions()
        var positional: [String] = []
        var index = 0
        var flagsEnded = false
        while index < arguments.count {
            let token = arguments[index]
            index += 1
            guard !flagsEnded, isFlag(token) else {
                positional.append(token)
                continue
            }
            if token == "--" {
                flagsEnded = true
                continue
            }
            var body = token.dropFirst(token.hasPrefix("--") ? 2 : 1)
            var inlineValue: String?
            if let equals = body.firstIndex(of: "=") {
                inlineValue = String(body[body.index(after: equals)...])
                body = body[..<equals]
            }
            let name = String(body)
            guard let kind = flags[name] else {
                throw UsageError("flag provided but not defined: -\(name)")
            }
            switch kind {
            case .bool(let set):
                guard let text = inlineValue else {
                    set(&options, true)
                    continue
                }
                guard let value = parseBool(text) else {
                    throw UsageError("invalid boolean value \"\(text)\" for -\(name)")
                }
                set(&options, value)
            case .string(let set):
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard index < arguments.count else { throw UsageError("flag needs an argument: -\(name)") }
                    value = arguments[index]
                    index += 1
                }
                try set(&options, value)
            }
        }
        if positional.isEmpty {
            guard options.help else { throw UsageError("no verb given") }
            return Invocation(options: options, verb: "")
        }
        return Invocation(options: options, verb: positional[0], arguments: Array(positional.dropFirst()))
    }

    /// `-x` and `--x` are flags; `-`, `--` handled by the caller, and `-1` (a replica count) is not.
    private static func isFlag(_ token: String) -> Bool {
        guard token.hasPrefix("-"), token != "-" else { return false }
        return Int(token) == nil
    }

    private static func parseBool(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "true", "TRUE", "True": true
        case "0", "f", "F", "false", "FALSE", "False": false
        default: nil
        }
    }
}
