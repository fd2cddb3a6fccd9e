import OrcaAPI

/// Everything the flags of one `kubecfg` run say, with the original's defaults.
public struct KubecfgOptions: Sendable, Equatable {
    /// `-c`: the manifest to send (a path, or `-` for standard input).
    public var configFile: String?
    /// `-l`: a label selector for `list` (`name=jenkins`).
    public var labelSelector = ""
    /// `-fields`: a field selector for `list` (`spec.nodeName=minion-1`).
    public var fieldSelector = ""
    /// `-json` / `-yaml`: print objects instead of tables (`-json` wins when both are given).
    public var output: OutputFormat = .table
    /// `-h`: the master's URL; nil falls back to `KUBERNETES_MASTER`, then `http://localhost:8080`.
    public var host: String?
    /// `-p`: the ports of `run`'s container, from `[host:]container,...`.
    public var ports: [ContainerPort] = []
    /// `-s`: the port of the service `run` also creates; -1 (or any value <= 0) creates none.
    public var servicePort = -1
    /// `-u`: the pause between pod deletions of `rollingupdate`.
    public var updatePeriod: Duration = .seconds(60)
    /// `-image`: the new image of `rollingupdate`.
    public var image = ""
    /// `-ns`: the namespace every verb works in.
    public var namespace = "default"
    /// `-api_version`: the shape of `-json`/`-yaml` output: nil or `v1` (the default) or `v1beta1`.
    public var apiVersion: String?
    /// `-verbose`: log every request and its answer on standard error.
    public var verbose = false
    /// `-help` / `--help`: print the usage and exit.
    public var help = false

    public init() {}
}

/// How objects are printed.
public enum OutputFormat: String, Sendable, Equatable {
    /// The seed's aligned columns, each header underlined with `----------`.
    case table
    case json
    case yaml
}

/// A parsed command line: the options, the verb and the verb's arguments.
public struct Invocation: Sendable, Equatable {
    public var options: KubecfgOptions
    /// `get`, `list`, `create`, ..., or empty when only `-help` was given.
    public var verb: String
    public var arguments: [String]

    public init(options: KubecfgOptions = KubecfgOptions(), verb: String, arguments: [String] = []) {
        self.options = options
        self.verb = verb
        self.arguments = arguments
    }
}

/// A command line that cannot run: unknown flag, bad value, missing verb. Exit status 2.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
