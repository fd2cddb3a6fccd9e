import Foundation
import OrcaAPI
import OrcaClient

/// The `kubecfg` program: parses the command line, finds the master, runs the verb, and turns
/// every failure into one line on standard error and an exit status.
///
/// Exit status: 0 on success, 1 when the verb failed (the master refused, could not be
/// reached, a wait timed out), 2 for a command line that cannot run.
public enum KubecfgCommand {
    /// The master used when neither `-h` nor `KUBERNETES_MASTER` names one.
    public static let defaultMaster = "http://localhost:8080"

    public static func main(
        arguments: [String], environment: [String: String],
        console: any Console = StandardConsole(),
        errors: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
    ) async -> Int32 {
        let invocation: Invocation
        do {
            invocation = try FlagParser.parse(arguments)
        } catch {
            errors("Error: \(error.message)\n\(usageHint)\n")
            return 2
        }
        if invocation.options.help {
            console.write(usage)
            return 0
        }
        let master = masterURL(flag: invocation.options.host, environment: environment)
        var configuration = OrcaClient.Configuration(baseURL: master)
        // A user at a terminal wants "connection refused" now, not after retrying until the deadline.
        configuration.retryConnecting = false
        if invocation.options.verbose {
            configuration.onResponse = { method, url, status in errors("\(method) \(url) \(status)\n") }
        }
        let client = OrcaClient.owned(configuration: configuration)
        let status = await run(Kubecfg(options: invocation.options, client: client, console: console),
                               invocation, errors: errors)
        try? await client.shutdown()
        return status
    }

    private static func run(_ kubecfg: Kubecfg, _ invocation: Invocation, errors: @Sendable (String) -> Void)
        async -> Int32 {
        do {
            try await kubecfg.run(invocation.verb, invocation.arguments)
            return 0
        } catch let error as UsageError {
            errors("Error: \(error.message)\n\(usageHint)\n")
            return 2
        } catch {
            errors("Error: \(message(for: error))\n")
            return 1
        }
    }

    /// `-h`, else `KUBERNETES_MASTER`, else ``defaultMaster``; `http://` is added when the URL has
    /// no scheme (`-h 10.245.1.2:8080`).
    public static func masterURL(flag: String?, environment: [String: String]) -> String {
        var master = flag.flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["KUBERNETES_MASTER"].flatMap { $0.isEmpty ? nil : $0 }
            ?? defaultMaster
        if !master.contains("://") { master = "http://" + master }
        return master
    }

    /// The one line a user sees for a failure: the master's own message for what it refused.
    public static func message(for error: any Error) -> String {
        switch error {
        case let error as APIError: error.message
        case let error as OrcaClientError: error.description
        case let error as KubecfgError: error.message
        case let error as UsageError: error.message
        default: String(describing: error)
        }
    }

    public static let usageHint = "Run 'kubecfg -help' for usage."

    public static let usage = """
        Usage: kubecfg -h [-c config/file.json|-] <method>
          kubecfg [OPTIONS] get|list|create|delete|update <\(ResourceKind.usageNames)>[/<id>]
          kubecfg [OPTIONS] stop|rm <controller>
          kubecfg [OPTIONS] [-u <time>] [-image <image>] rollingupdate <controller>
          kubecfg [OPTIONS] resize <controller> <replicas>
          kubecfg [OPTIONS] [-p <port spec>] [-s <service port>] run <image> <replicas> <controller>
          kubecfg [OPTIONS] logs <pod> [<container>]

        Options:
          -c <file|->        manifest for create, update and print (JSON or YAML, v1 or v1beta1; - reads stdin)
          -l <selector>      label selector for list (name=jenkins)
          -fields <selector> field selector for list (spec.nodeName=minion-1)
          -h <url>           the master (default: $KUBERNETES_MASTER, else \(defaultMaster))
          -ns <namespace>    namespace to work in (default "default")
          -json, -yaml       print objects as JSON or YAML instead of a table
          -api_version <v>   shape of -json/-yaml output: v1 (default) or v1beta1
          -p <port spec>     run: container ports, [hostPort:]containerPort,... (8080:80,443)
          -s <port>          run: also create a service on this port (default -1: none)
          -u <time>          rollingupdate: pause between pod deletions (default 1m0s; 500ms, 30s, 1m30s)
          -image <image>     rollingupdate: the new image of the template's first container
          -verbose           log every request to standard error
          -help              print this message

        """
}
