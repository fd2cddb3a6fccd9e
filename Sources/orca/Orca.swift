import ArgumentParser
import OrcaAPIServer

/// `orca`: the master, the minion and the local cluster, as subcommands of one binary.
struct Orca: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orca",
        abstract: "A container orchestrator: the master, minions and a local cluster.",
        version: OrcaVersion.string,
        subcommands: [MasterCommand.self, MinionCommand.self, UpCommand.self, DownCommand.self, StatusCommand.self,
                      ImageCommand.self, HollowCommand.self])
}

@main
enum OrcaMain {
    static func main() async {
        // `orca minion ...` hands every argument, --help included, to orca-minion unparsed.
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.first == "minion" { MinionExecutable.exec(arguments: Array(arguments.dropFirst())) }
        await Orca.main()
    }
}
