import ArgumentParser
import Foundation
import OrcaLocal

/// Where a local cluster keeps its state unless told otherwise.
let defaultClusterDirectory = "/var/lib/orca/cluster"

/// The `orca` executable that is running (the daemons run the same one).
func currentExecutable() -> String {
    URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
}

/// `orca up`: a master, a registry and N minions on this machine, each minion in a network
/// namespace of its own; returns when every minion is Ready.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up", abstract: "Start a local cluster: a master and minions, each minion its own host.")

    @Option(name: .long, help: "How many minions (10.245.2.2, 10.245.2.3, ...).")
    var minions: Int = 2

    @Option(name: .long, help: "Where the cluster keeps its state and logs.")
    var dataDir: String = defaultClusterDirectory

    @Option(name: .long, help: "The minions' /24, as its first three octets.")
    var network: String = "10.245.2"

    @Option(name: .long, help: "Prefix of the bridge, namespace and link names.")
    var namePrefix: String = "orca"

    @Option(name: .long, help: "The master's port (on the bridge address and on loopback).")
    var masterPort: Int = 8080

    @Option(name: .long, help: "The registry's port (on the bridge address).")
    var registryPort: Int = 5000

    @Flag(name: .long, inversion: .prefixedNo,
          help: "Add the cluster's context to your kubeconfig ($KUBECONFIG, else ~/.kube/config) and make it current.")
    var mergeKubeconfig = true

    func validate() throws {
        guard (1...200).contains(minions) else { throw ValidationError("--minions must be between 1 and 200") }
        let octets = network.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 3, octets.allSatisfy({ UInt8($0) != nil }) else {
            throw ValidationError("--network: \"\(network)\" is not three octets such as 10.245.2")
        }
        guard namePrefix.count <= 8, namePrefix.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
            throw ValidationError("--name-prefix: \"\(namePrefix)\" must be at most 8 letters, digits or dashes")
        }
        for (name, port) in [("--master-port", masterPort), ("--registry-port", registryPort)] where !(1...65535).contains(port) {
            throw ValidationError("\(name): \(port) is not a port")
        }
        // Each minion is `orca minion`, which execs orca-minion: refuse at once rather than wait for minions that died.
        guard access(MinionExecutable.path, X_OK) == 0 else {
            throw ValidationError("\(MinionExecutable.path) is missing: build it beside orca (swift build --product orca-minion)")
        }
    }

    func run() async throws {
        let cluster = LocalCluster(directory: URL(fileURLWithPath: dataDir), orca: currentExecutable())
        let start = ContinuousClock.now
        let layout: LocalClusterLayout
        do {
            layout = try await cluster.up(
                LocalClusterLayout(minions: minions, prefix: namePrefix, network: network, masterPort: masterPort,
                                   registryPort: registryPort),
                mergeKubeconfig: mergeKubeconfig ? Kubeconfig.userPath() : nil)
        } catch {
            throw ValidationError("\(error)")
        }
        let elapsed = ContinuousClock.now - start
        print("cluster up in \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 2))))")
        print(await cluster.status(), terminator: "")
        print("kubecfg talks to http://127.0.0.1:\(layout.masterPort) with no flags; logs in \(dataDir)/logs")
        if mergeKubeconfig {
            print("kubectl: context \"\(layout.prefix)\" added to \(Kubeconfig.userPath()) and made current")
        }
        print("kubeconfig: \(cluster.kubeconfigFile.path)")
    }
}

/// `orca down`: stops what `orca up` started and removes every trace of it.
struct DownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down", abstract: "Stop the local cluster and remove everything it made.")

    @Option(name: .long, help: "The cluster's state directory (as given to orca up).")
    var dataDir: String = defaultClusterDirectory

    func run() async throws {
        guard getuid() == 0 else { throw ValidationError("orca down removes namespaces and containers: run it as root") }
        await LocalCluster(directory: URL(fileURLWithPath: dataDir), orca: currentExecutable()).down()
        print("cluster down")
    }
}

/// `orca status`: the master, the registry and each minion with its IP and state.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the local cluster's master, registry and minions.")

    @Option(name: .long, help: "The cluster's state directory (as given to orca up).")
    var dataDir: String = defaultClusterDirectory

    func run() async throws {
        print(await LocalCluster(directory: URL(fileURLWithPath: dataDir), orca: currentExecutable()).status(),
              terminator: "")
    }
}
