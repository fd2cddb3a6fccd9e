import Foundation
import OrcaAPI

/// Runs one `kubecfg` verb against a master: the verbs' logic, with the client, the console,
/// the input and the clock injected so tests run it against a fake without sleeping.
public struct Kubecfg: Sendable {
    public var options: KubecfgOptions
    public var client: any KubecfgClient
    public var console: any Console
    /// Reads `-c`: a path, or `-` for standard input.
    public var readInput: @Sendable (String) throws -> Data
    /// Waits (between `rollingupdate` deletions, between polls).
    public var sleep: @Sendable (Duration) async throws -> Void
    /// How long `stop` waits for the controller's pods to go, polling every ``stopPollInterval``.
    public var stopTimeout: Duration = .seconds(60)
    /// The replication manager reports within a moment, so `stop` looks often.
    public var stopPollInterval: Duration = .milliseconds(250)
    /// How long `rollingupdate` waits for the pods to come back (the original's 300 s).
    public var rollingUpdateTimeout: Duration = .seconds(300)
    /// How often `rollingupdate` counts pods; the original polled every 5 s.
    public var pollInterval: Duration = .seconds(5)

    public init(
        options: KubecfgOptions, client: any KubecfgClient, console: any Console = StandardConsole(),
        readInput: @escaping @Sendable (String) throws -> Data = Kubecfg.readFileOrStandardInput,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.options = options
        self.client = client
        self.console = console
        self.readInput = readInput
        self.sleep = sleep
    }

    /// The verbs, in the order the usage lists them (`print` is hidden, as in the original).
    public static let verbs = [
        "get", "list", "create", "update", "delete", "stop", "rm", "rollingupdate", "resize", "run", "logs",
    ]

    /// Runs `verb` with its arguments; throws ``UsageError`` for arguments that make no sense,
    /// `APIError` for what the master refused, other errors for what went wrong on the way.
    public func run(_ verb: String, _ arguments: [String]) async throws {
        switch verb {
        case "get", "list", "delete", "create", "update":
            let target = try ResourceArgument(arguments, verb: verb)
            try await resourceVerb(verb, target, target.kind.objectType)
        case "print":
            try printManifest(arguments)
        case "resize":
            try await resize(arguments)
        case "stop":
            try await stop(arguments)
        case "rm":
            try await remove(arguments)
        case "run":
            try await runController(arguments)
        case "rollingupdate":
            try await rollingUpdate(arguments)
        case "logs", "log":
            try await logs(arguments)
        default:
            throw UsageError("unknown verb \"\(verb)\": use one of \(Self.verbs.joined(separator: ", "))")
        }
    }

    var printer: ObjectPrinter { ObjectPrinter(format: options.output, apiVersion: options.apiVersion) }

    /// `-c <file>` read and parsed, or a usage error when the verb needs it and it is missing.
    func manifest(for verb: String) throws -> Manifest {
        guard let source = options.configFile, !source.isEmpty else {
            throw UsageError("\(verb) needs a manifest: kubecfg -c <file|-> \(verb) ...")
        }
        if source.contains("://") {
            throw UsageError("-c \(source): reading a manifest from a URL is not supported; "
                + "download it and pass the file, or pipe it with -c -")
        }
        let data: Data
        do {
            data = try readInput(source)
        } catch {
            throw KubecfgError("cannot read \(source == "-" ? "standard input" : source): \(Self.describe(error))")
        }
        return try Manifest(data: data, source: source == "-" ? "standard input" : source)
    }

    /// Reads a path, or standard input for `-`; failures say why in words (`no such file`).
    public static let readFileOrStandardInput: @Sendable (String) throws -> Data = { source in
        if source == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else {
            throw KubecfgError("no such file")
        }
        guard !isDirectory.boolValue else { throw KubecfgError("it is a directory") }
        guard let data = FileManager.default.contents(atPath: source) else { throw KubecfgError("permission denied") }
        return data
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? KubecfgError { return error.message }
        return String(describing: error)
    }
}

/// A failure of `kubecfg` itself (not the master's answer), said in one line. Exit status 1.
public struct KubecfgError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
